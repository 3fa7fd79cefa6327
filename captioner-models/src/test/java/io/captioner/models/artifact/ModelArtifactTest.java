package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.io.Digests;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.SameCaption;
import io.captioner.models.TinyCaptioner;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.internal.ParameterFile;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {

    private static DjlCaptioner original;
    private static List<BufferedImage> images;
    private static final DecodingOptions BEAM =
            DecodingOptions.builder().optBeamSize(3).optNBest(3).optMaxLength(12).build();

    @TempDir Path dir;

    @BeforeAll
    static void create() {
        original = TinyCaptioner.create(11);
        images = TinyCaptioner.images(0, 6);
    }

    @AfterAll
    static void close() {
        original.close();
    }

    private Path saved(String name) {
        Path target = dir.resolve(name);
        TinyCaptioner.writer(original).write(target);
        return target;
    }

    private static void assertSameCaptions(Captioner loaded) {
        List<Caption> want = original.captionAll(images);
        List<Caption> got = loaded.captionAll(images);
        for (int i = 0; i < images.size(); i++) {
            SameCaption.assertSame(got.get(i), want.get(i), "image " + i);
            SameCaption.assertSame(loaded.caption(images.get(i), BEAM), original.caption(images.get(i), BEAM),
                    "beam image " + i);
        }
    }

    @Test
    void savedDirectoryLoadsToACaptionerWithIdenticalCaptions() {
        try (DjlCaptioner loaded = ModelArtifact.load(saved("model"))) {
            assertSameCaptions(loaded);
            assertThat(loaded.defaultOptions()).isEqualTo(original.defaultOptions());
            assertThat(loaded.vocabulary()).isEqualTo(original.vocabulary());
        }
    }

    @Test
    void aDecoderWithImageMergeSavesAndLoadsWithIdenticalCaptions() {
        try (DjlCaptioner merged = TinyCaptioner.create(12, original.defaultOptions(), true)) {
            Path target = dir.resolve("merged");
            TinyCaptioner.writer(merged).write(target);
            assertThat(((io.captioner.models.decoder.DecoderConfig) ModelArtifact.readManifest(target).decoderConfig()).imageMerge())
                    .isTrue();
            try (DjlCaptioner loaded = ModelArtifact.load(target)) {
                for (int i = 0; i < images.size(); i++) {
                    SameCaption.assertSame(loaded.caption(images.get(i), BEAM), merged.caption(images.get(i), BEAM),
                            "merge decoder, beam image " + i);
                }
            }
        }
    }

    @Test
    void loadedParametersSurviveGarbageCollection() {
        // Guards against parameters that point into Java direct buffers freed by the collector.
        try (DjlCaptioner loaded = ModelArtifact.load(saved("model"))) {
            for (int round = 0; round < 3; round++) {
                byte[][] garbage = new byte[64][];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = new byte[1 << 20];
                }
                System.gc();
                assertSameCaptions(loaded);
            }
        }
    }

    @Test
    void savedZipLoadsToACaptionerWithIdenticalCaptions() {
        Path zip = saved("model.zip");
        assertThat(zip).isRegularFile();
        try (DjlCaptioner loaded = ModelArtifact.load(zip)) {
            assertSameCaptions(loaded);
        }
    }

    @Test
    void savingFromTheTrainersParameterFilesGivesIdenticalCaptions() {
        LstmCaptionDecoder decoder = (LstmCaptionDecoder) original.decoder();
        io.captioner.models.encoder.BlockEncoder encoder = (io.captioner.models.encoder.BlockEncoder) original.encoder();
        Path decoderFile = dir.resolve("best-decoder.params");
        decoder.save(decoderFile);
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
        ParameterFile.collect(encoder.block().getParameters(), "", arrays);
        Path encoderFile = dir.resolve("best-encoder.params");
        new ParameterFile(io.captioner.models.encoder.BlockEncoder.PARAMETER_FILE_KIND, Map.of(), arrays).write(encoderFile);
        Path target = dir.resolve("from-files.zip");
        ArtifactWriter.builder()
                .setEncoder(encoder, EncoderSpec.smallCnn(encoder))
                .setDecoder(decoderFile)
                .optEncoderParameters(encoderFile)
                .setVocabulary(original.vocabulary())
                .optDecodingOptions(original.defaultOptions())
                .build().write(target);
        try (DjlCaptioner loaded = ModelArtifact.load(target)) {
            assertSameCaptions(loaded);
        }
    }

    @Test
    void captionerLoadFindsTheArtifactProviderThroughServiceLoader() {
        try (Captioner loaded = Captioner.load(saved("model"))) {
            assertThat(loaded).isInstanceOf(DjlCaptioner.class);
            assertSameCaptions(loaded);
        }
    }

    @Test
    void captionerLoadExposesTheSavedDecodingOptionsThroughTheInterface() {
        try (Captioner loaded = Captioner.load(saved("model"))) {
            assertThat(loaded.defaultOptions()).isEqualTo(original.defaultOptions())
                    .isNotEqualTo(DecodingOptions.defaults());
        }
    }

    @Test
    void manifestRecordsVersionsEncoderDecoderVocabularyAndProvenance() {
        Manifest m = ModelArtifact.readManifest(saved("model"));
        assertThat(m.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(m.sdkVersion()).isNotEqualTo("unknown").doesNotContain("${");
        assertThat(m.djlVersion()).isEqualTo("0.36.0");
        assertThat(m.pytorchVersion()).isEqualTo("2.7.1");
        assertThat(m.encoder().kind()).isEqualTo(EncoderKind.SMALL_CNN);
        assertThat(m.encoder().inputSize()).isEqualTo(32);
        assertThat(m.encoder().baseChannels()).isEqualTo(4);
        assertThat(m.encoder().featureSize()).isEqualTo(16);
        assertThat(m.decoderConfig()).isEqualTo(((LstmCaptionDecoder) original.decoder()).config());
        assertThat(m.vocabularySize()).isEqualTo(original.vocabulary().size());
        assertThat(m.training().dataset()).startsWith("synthetic");
        assertThat(m.training().trainImages()).isEqualTo(60);
        assertThat(m.training().validationMetrics()).containsEntry("bleu4", 0.0);
        assertThat(m.decoding()).isEqualTo(original.defaultOptions());
    }

    @Test
    void savingOverAnExistingArtifactReplacesItAndLeavesNoTemporaryFiles() throws IOException {
        Path target = saved("model");
        Files.writeString(target.resolve("stale.txt"), "old");
        TinyCaptioner.writer(original).write(target);
        assertThat(target.resolve("stale.txt")).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("model");
        }
    }

    @Test
    void zipEntryEscapingTheArchiveIsRefused() throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("../escaped.txt"));
            out.write("x".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry '../escaped.txt' points outside the archive");
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), "escaped.txt")).doesNotExist();
    }

    @Test
    void fileThatIsNotAZipIsReported() throws IOException {
        Path zip = Files.writeString(dir.resolve("model.zip"), "not a zip at all");
        assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("model.zip: not a zip archive or an empty one");
    }

    @Test
    void missingArtifactIsReportedNamingThePath() {
        assertThatThrownBy(() -> ModelArtifact.load(dir.resolve("nope")))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("nope: model artifact not found");
    }

    @Test
    void missingManifestIsReported() throws IOException {
        Path target = saved("model");
        Files.delete(target.resolve("manifest.json"));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("missing file manifest.json");
    }

    @Test
    void missingParameterFileIsReportedNamingItAndItsManifestField() throws IOException {
        Path target = saved("model");
        Files.delete(target.resolve("decoder.params"));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("missing file decoder.params")
                .hasMessageContaining("decoder.parameters");
    }

    @Test
    void corruptedFileIsReportedAsAHashMismatch() throws IOException {
        Path target = saved("model");
        Path params = target.resolve("decoder.params");
        byte[] b = Files.readAllBytes(params);
        b[b.length / 2] ^= 0x55;
        Files.write(params, b);
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("decoder.params does not match its SHA-256")
                .hasMessageContaining("corrupt or was replaced");
    }

    @Test
    void malformedManifestJsonIsReported() throws IOException {
        Path target = saved("model");
        Files.writeString(target.resolve("manifest.json"), "{\"format\": \"captioner-model\", \"formatVersion\": ");
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("manifest.json: malformed JSON");
    }

    @Test
    void newerManifestVersionIsRefusedNamingBothVersions() throws IOException {
        Path target = saved("model");
        editManifest(target, m -> m.addProperty("formatVersion", Manifest.FORMAT_VERSION + 1));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("formatVersion " + (Manifest.FORMAT_VERSION + 1) + " is newer than this SDK reads ("
                        + Manifest.FORMAT_VERSION + ")");
    }

    @Test
    void missingManifestFieldIsReportedByItsPath() throws IOException {
        Path target = saved("model");
        editManifest(target, m -> m.getAsJsonObject("decoder").getAsJsonObject("config").remove("hiddenSize"));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("field decoder.config.hiddenSize is missing");
    }

    @Test
    void vocabularyWhoseSizeDoesNotMatchTheDecoderIsReported() throws IOException {
        Path target = saved("model");
        Vocabulary other = Vocabulary.builder().optMaxSize(100).build(List.of(List.of("a", "red", "circle")));
        other.save(target.resolve("vocab.txt"));
        rehash(target, "vocabulary", "file", "vocab.txt");
        editManifest(target, m -> m.getAsJsonObject("vocabulary").addProperty("size", other.size()));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("vocabulary vocab.txt has 7 tokens but the decoder scores "
                        + original.vocabulary().size());
    }

    @Test
    void parameterOfTheWrongShapeIsReportedNamingIt() throws IOException {
        Path target = saved("model");
        Path file = target.resolve("decoder.params");
        ParameterFile pf = ParameterFile.read(file, LstmCaptionDecoder.FILE_KIND);
        Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>(pf.arrays());
        String first = arrays.keySet().iterator().next();
        ParameterFile.Tensor t = arrays.get(first);
        float[] more = java.util.Arrays.copyOf(t.values(), t.values().length * 2);
        long[] dims = t.shape().getShape().clone();
        dims[0] *= 2;
        arrays.put(first, new ParameterFile.Tensor(new ai.djl.ndarray.types.Shape(dims), more));
        new ParameterFile(pf.kind(), pf.metadata(), arrays).write(file);
        rehash(target, "decoder", "parameters", "decoder.params");
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("parameter " + first + " must have shape " + t.shape())
                .hasMessageContaining("found " + new ai.djl.ndarray.types.Shape(dims));
    }

    @Test
    void decoderFileOfAnotherArchitectureIsReported() throws IOException {
        Path target = saved("model");
        editManifest(target, m -> m.getAsJsonObject("decoder").getAsJsonObject("config").addProperty("hiddenSize", 32));
        assertThatThrownBy(() -> ModelArtifact.load(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("decoder.params: decoder hiddenSize is 16 but the model needs 32");
    }

    private static void editManifest(Path artifact, java.util.function.Consumer<JsonObject> edit) throws IOException {
        Path file = artifact.resolve("manifest.json");
        JsonObject m = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(m);
        Files.writeString(file, m.toString(), StandardCharsets.UTF_8);
    }

    private static void rehash(Path artifact, String section, String field, String name) throws IOException {
        String sha = Digests.sha256(artifact.resolve(name));
        long bytes = Files.size(artifact.resolve(name));
        editManifest(artifact, m -> {
            JsonObject ref = m.getAsJsonObject(section).getAsJsonObject(field);
            ref.addProperty("sha256", sha);
            ref.addProperty("bytes", bytes);
        });
    }
}
