package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.io.Digests;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.train.TrainingLog;
import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureShardWriter;
import io.captioner.models.cache.FeatureShards;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.Preprocessing;
import io.captioner.testing.Python;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static final SyntheticDataset DATASET =
            SyntheticDataset.builder().optImages(40).optImageSize(64).optSeed(3).build();

    /** Small, fast training options shared by the tests. */
    private static List<String> args(Path dataset, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", dataset.toString(), "--out", out.toString(),
                "--epochs", "1", "--batch-size", "32", "--min-count", "1", "--hidden", "32", "--embedding", "32",
                "--beam", "2"));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun train(List<String> args) {
        return CliRun.of(args.toArray(new String[0]));
    }

    private static JsonObject lastJsonLine(CliRun run) {
        String[] lines = run.out().strip().split("\n");
        return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    }

    private static Path someTestImage(Path dataset) throws IOException {
        String first = Files.readAllLines(dataset.resolve(Flickr8kReader.TEST_FILE), StandardCharsets.UTF_8).get(0)
                .strip();
        return dataset.resolve(SyntheticDataset.IMAGES_DIR).resolve(first);
    }

    private static void assertSavedModelCaptions(JsonObject json, Path image) {
        try (Captioner captioner = Captioner.load(Path.of(json.get("model").getAsString()))) {
            Caption caption = captioner.caption(image);
            assertThat(caption.tokens()).isNotEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void smallCnnRunPrintsTheScoresAndSavesALoadableModel(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        JsonObject json = lastJsonLine(run);
        assertThat(json.keySet()).contains("bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "cider", "test_images",
                "train_seconds", "model");
        assertThat(json.get("test_images").getAsInt()).isEqualTo(DATASET.testImages());
        assertThat(json.get("encoded_images").getAsInt()).isEqualTo(DATASET.images());
        assertThat(Path.of(json.get("model").getAsString())).isEqualTo(out.toAbsolutePath().resolve("model"));
        assertSavedModelCaptions(json, someTestImage(dataset));
    }

    @Test
    void imageMergeOptionTrainsAndSavesAMergeDecoder(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn", "--image-merge"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(((io.captioner.models.decoder.DecoderConfig) ModelArtifact.readManifest(out.resolve("model"))
                .decoderConfig()).imageMerge()).isTrue();
        assertSavedModelCaptions(lastJsonLine(run), someTestImage(dataset));
    }

    @Test
    void secondRunReusesTheFeatureCacheInsteadOfEncodingAgain(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");
        CliRun first = train(args(dataset, out, "--encoder", "small-cnn"));
        assertThat(first.exitCode()).as(first.err()).isEqualTo(CaptionerCli.EXIT_OK);
        Path trainFeatures = featureFile(out, "train");
        byte[] before = Files.readAllBytes(trainFeatures);
        long modified = Files.getLastModifiedTime(trainFeatures).toMillis();

        CliRun second = train(args(dataset, out, "--encoder", "small-cnn"));

        assertThat(second.exitCode()).as(second.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(lastJsonLine(first).get("encoded_images").getAsInt()).isEqualTo(DATASET.images());
        assertThat(lastJsonLine(second).get("encoded_images").getAsInt()).isZero();
        assertThat(second.err()).contains("features train: ", "reused the cache");
        assertThat(Files.readAllBytes(trainFeatures)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(trainFeatures).toMillis()).isEqualTo(modified);
        assertSavedModelCaptions(lastJsonLine(second), someTestImage(dataset));
    }

    @Tag("slow")
    @Test
    void randomWeightResNet50RunCachesFeaturesTrainsAndSavesAModelReferencingTheWeights(@TempDir Path dir)
            throws Exception {
        Path weights = dir.resolve("resnet50.npz");
        exportRandomResNet50(weights);
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "resnet50", "--weights", weights.toString(),
                "--encode-batch-size", "8"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        JsonObject json = lastJsonLine(run);
        assertThat(json.keySet()).contains("bleu1", "bleu4", "rouge_l", "cider", "test_images", "train_seconds",
                "model");
        assertThat(json.get("test_images").getAsInt()).isEqualTo(DATASET.testImages());
        assertThat(json.get("encoded_images").getAsInt()).isEqualTo(DATASET.images());
        assertThat(run.err()).contains("encoded " + DATASET.trainImages() + " into");
        assertThat(Files.size(featureFile(out, "test")))
                .isEqualTo((long) DATASET.testImages() * 2048 * 4);
        String manifest = Files.readString(out.resolve("model").resolve("manifest.json"));
        assertThat(manifest).contains("resnet50", weights.toAbsolutePath().toString());
        assertThat(out.resolve("model").resolve("encoder-base.npz")).doesNotExist();
        assertSavedModelCaptions(json, someTestImage(dataset));
    }

    @Test
    void attentionDecoderTrainsOnTheSmallCnnsFeatureMapAndSavesAnAttentionModel(@TempDir Path dir)
            throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn", "--decoder", "attention",
                "--attention-dim", "16"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(run.err()).contains("features train: " + DATASET.trainImages() + " images of 8x8x128 float32");
        DecoderSpec decoder = ModelArtifact.readManifest(out.resolve("model")).decoderConfig();
        assertThat(decoder).isInstanceOfSatisfying(AttentionDecoderConfig.class, a -> {
            assertThat(a.featureShape()).containsExactly(8, 8, 128);
            assertThat(a.attentionSize()).isEqualTo(16);
            assertThat(a.dropout()).isEqualTo(0.5);
            assertThat(a.attentionPenalty()).isEqualTo(1.0);
        });
        assertThat(Files.size(featureFile(out, "small-cnn-", "-8x8x128", "test", "features.f32")))
                .isEqualTo((long) DATASET.testImages() * 8 * 8 * 128 * 4);
        assertThat(Files.readString(out.resolve("training").resolve(TrainingLog.FILE_NAME)))
                .contains("\"lr\":4.0E-4");
        assertSavedModelCaptions(lastJsonLine(run), someTestImage(dataset));
    }

    @Test
    void float16AttentionCacheHoldsTwoBytesPerValueAndIsReusedByTheNextRun(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");
        List<String> attention = args(dataset, out, "--encoder", "small-cnn", "--decoder", "attention",
                "--attention-dim", "16", "--fp16");
        CliRun first = train(attention);
        assertThat(first.exitCode()).as(first.err()).isEqualTo(CaptionerCli.EXIT_OK);

        CliRun second = train(attention);

        assertThat(second.exitCode()).as(second.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(Files.size(featureFile(out, "small-cnn-", "-8x8x128-fp16", "train", "features.f16")))
                .isEqualTo((long) DATASET.trainImages() * 8 * 8 * 128 * 2);
        assertThat(lastJsonLine(first).get("encoded_images").getAsInt()).isEqualTo(DATASET.images());
        assertThat(lastJsonLine(second).get("encoded_images").getAsInt()).isZero();
        assertThat(second.err()).contains("images of 8x8x128 float16, reused the cache");
        assertSavedModelCaptions(lastJsonLine(second), someTestImage(dataset));
    }

    @Test
    void lstmAndAttentionRunsKeepTheirOwnCachesInOneOutputDirectory(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");
        CliRun lstm = train(args(dataset, out, "--encoder", "small-cnn"));
        assertThat(lstm.exitCode()).as(lstm.err()).isEqualTo(CaptionerCli.EXIT_OK);

        CliRun attention = train(args(dataset, out, "--encoder", "small-cnn", "--decoder", "attention",
                "--attention-dim", "16"));

        assertThat(attention.exitCode()).as(attention.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(lastJsonLine(attention).get("encoded_images").getAsInt()).isEqualTo(DATASET.images());
        assertThat(featureFile(out, "small-cnn-", "", "train", "features.f32")).isRegularFile();
        assertThat(featureFile(out, "small-cnn-", "-8x8x128", "train", "features.f32")).isRegularFile();
    }

    @Test
    void spatialSizeWithTheLstmDecoderIsAUsageError(@TempDir Path dir) {
        CliRun run = train(args(dir, dir.resolve("run"), "--encoder", "small-cnn", "--spatial-size", "14"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--spatial-size needs --decoder attention", "found 14");
    }

    @Test
    void helpStatesTheAttentionDecodersDefaults() {
        CliRun run = CliRun.of("train", "--help");

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_OK);
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(help).contains("--decoder=D", "--attention-dim 512, --embedding 512, --hidden 512, --dropout 0.5,"
                + " --attention-penalty 1, Adam at --learning-rate 4e-4, gradients clipped to a global norm of 5",
                "--spatial-size=S", "14 for resnet50", "--fp16", "default: 1e-3 for lstm, 4e-4 for attention");
    }

    @Test
    void datasetWithAnnotationsButNoImagesFailsWithoutAnArtifact(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        deleteRecursively(dataset.resolve(SyntheticDataset.IMAGES_DIR));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains("no usable image", "none of the " + DATASET.images());
        assertThat(out.resolve("model")).doesNotExist();
        assertThat(run.out()).doesNotContain("bleu4");
    }

    @Test
    void missingSplitFileFailsNamingItWithoutAnArtifact(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Files.delete(dataset.resolve(Flickr8kReader.DEV_FILE));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(Flickr8kReader.DEV_FILE);
        assertThat(out.resolve("model")).doesNotExist();
    }

    @Test
    void changedImagesAreRefusedByTheStaleCacheNamingTheDirectoryToDelete(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path out = dir.resolve("run");
        assertThat(train(args(dataset, out, "--encoder", "small-cnn")).exitCode()).isEqualTo(CaptionerCli.EXIT_OK);
        String firstTrain = Files.readAllLines(dataset.resolve(Flickr8kReader.TRAIN_FILE)).get(0).strip();
        Files.delete(dataset.resolve(SyntheticDataset.IMAGES_DIR).resolve(firstTrain));

        CliRun run = train(args(dataset, out, "--encoder", "small-cnn"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains("stale feature cache", "delete " + featureFile(out, "train").getParent());
    }

    @Test
    void torchvisionEncoderWithoutWeightsIsAUsageError(@TempDir Path dir) {
        CliRun run = train(args(dir, dir.resolve("run"), "--encoder", "resnet50"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--weights is required for encoder resnet50");
    }

    @Test
    void unknownEncoderIsAUsageError(@TempDir Path dir) {
        CliRun run = train(args(dir, dir.resolve("run"), "--encoder", "alexnet"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("unknown encoder 'alexnet', expected one of small-cnn, vgg16, resnet50");
    }

    @Test
    @Tag("slow")
    void featureShardsTrainAModelWithoutReadingTheImages(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path weights = RandomWeights.write(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
        Path features = dir.resolve("features");
        List<String> ids = imageIds(dataset);
        writeShards(features, resnet50Key(weights), ids.subList(1, ids.size()));
        Path image = Files.copy(dataset.resolve(SyntheticDataset.IMAGES_DIR).resolve(ids.get(1)),
                dir.resolve(ids.get(1)));
        deleteRecursively(dataset.resolve(SyntheticDataset.IMAGES_DIR));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "resnet50", "--weights", weights.toString(),
                "--features", features.toString()));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        JsonObject json = lastJsonLine(run);
        assertThat(json.get("encoded_images").getAsInt()).isZero();
        assertThat(run.err()).contains("read from " + features, "skipped 1 of ");
        assertThat(out.resolve("features")).doesNotExist();
        assertThat(Files.readString(out.resolve("model").resolve("manifest.json")))
                .contains(weights.toAbsolutePath().toString());
        assertSavedModelCaptions(json, image);
    }

    @Test
    @Tag("slow")
    void featuresExtractedWithOtherWeightsAreRefusedAsStale(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path weights = RandomWeights.write(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
        Path features = dir.resolve("features");
        CacheKey other = new CacheKey("resnet50", 2048, "0".repeat(64), Preprocessing.imagenet().toString());
        writeShards(features, other, imageIds(dataset));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "resnet50", "--weights", weights.toString(),
                "--features", features.toString()));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(features + ": stale features: they were extracted with weights_sha256="
                + "0".repeat(64) + ", but " + Digests.sha256(weights) + " is requested");
        assertThat(out.resolve("model")).doesNotExist();
    }

    @Tag("slow")
    @Test
    void spatialFeatureShardsTrainTheAttentionDecoder(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path weights = RandomWeights.write(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
        Path features = dir.resolve("features");
        writeShards(features, resnet50Key(weights), new int[] {7, 7, 2048}, imageIds(dataset));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "resnet50", "--weights", weights.toString(),
                "--features", features.toString(), "--decoder", "attention", "--attention-dim", "16"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(ModelArtifact.readManifest(out.resolve("model")).decoderConfig())
                .isInstanceOfSatisfying(AttentionDecoderConfig.class,
                        a -> assertThat(a.featureShape()).containsExactly(7, 7, 2048));
        assertThat(out.resolve("features")).doesNotExist();
    }

    @Tag("slow")
    @Test
    void pooledFeatureShardsAreRefusedForTheAttentionDecoderNamingBothShapes(@TempDir Path dir) throws IOException {
        Path dataset = dir.resolve("flickr8k");
        DATASET.generate(dataset);
        Path weights = RandomWeights.write(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
        Path features = dir.resolve("features");
        writeShards(features, resnet50Key(weights), imageIds(dataset));
        Path out = dir.resolve("run");

        CliRun run = train(args(dataset, out, "--encoder", "resnet50", "--weights", weights.toString(),
                "--features", features.toString(), "--decoder", "attention"));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(features + ": features of shape [2048] do not fit the attention decoder,"
                + " which reads resnet50's map [7, 7, 2048]");
        assertThat(out.resolve("model")).doesNotExist();
    }

    @Test
    void featuresWithTheSmallCnnAreAUsageError(@TempDir Path dir) {
        CliRun run = train(args(dir, dir.resolve("run"), "--encoder", "small-cnn", "--features", dir.toString()));

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--features needs encoder vgg16 or resnet50");
    }

    private static CacheKey resnet50Key(Path weights) {
        return new CacheKey(TorchvisionArch.RESNET50.id(), TorchvisionArch.RESNET50.featureSize(),
                Digests.sha256(weights), Preprocessing.imagenet().toString());
    }

    /** Every image of the dataset (all splits), as the annotation files list them. */
    private static List<String> imageIds(Path dataset) {
        return Flickr8kReader.load(dataset).images().stream().map(ImageCaptions::imageId).toList();
    }

    /** Writes seeded random features of the images as two committed shards, as ExtractFeatures would. */
    private static void writeShards(Path dir, CacheKey key, List<String> ids) throws IOException {
        writeShards(dir, key, new int[] {key.featureSize()}, ids);
    }

    /** Writes seeded random rows of a shape (a pooled vector or a spatial map) as two committed shards. */
    private static void writeShards(Path dir, CacheKey key, int[] shape, List<String> ids) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(4);
        int half = ids.size() / 2;
        int length = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        for (int s = 0; s < 2; s++) {
            String name = "part-r-0000" + s;
            try (FeatureShardWriter w = FeatureShardWriter.create(key, shape, dir);
                    OutputStream data = Files.newOutputStream(dir.resolve(name + ".npy"));
                    OutputStream index = Files.newOutputStream(dir.resolve(name + ".json"))) {
                for (String id : s == 0 ? ids.subList(0, half) : ids.subList(half, ids.size())) {
                    float[] row = new float[length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = random.nextFloat();
                    }
                    w.add(id, "file:/images/" + id, row);
                }
                w.finish(name + ".npy", data, index);
            }
        }
        Files.write(dir.resolve(FeatureShards.SUCCESS), new byte[0]);
    }

    /** Writes seeded random ResNet-50 weights with the export script, or skips when torch is missing. */
    private static void exportRandomResNet50(Path out) throws Exception {
        Path script = Path.of("..", "scripts", "export_torchvision.py").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(script), "export script not found at " + script);
        Python.assumeModules("torch", "torchvision", "numpy");
        ProcessBuilder pb = new ProcessBuilder(Python.command(), script.toString(), "--arch", "resnet50", "--out",
                out.toString(), "--random-seed", "1").redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("export timed out").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    /**
     * Finds the one feature cache file of a split whose cache directory is named
     * {@code PREFIX<12 hex digits>SUFFIX}, e.g. {@code small-cnn-0123456789ab-8x8x128-fp16}.
     */
    private static Path featureFile(Path out, String prefix, String suffix, String split, String file)
            throws IOException {
        try (Stream<Path> keys = Files.list(out.resolve("features"))) {
            String name = Pattern.quote(prefix) + "[0-9a-f]{12}" + Pattern.quote(suffix);
            List<Path> files = keys.filter(k -> k.getFileName().toString().matches(name))
                    .map(k -> k.resolve(split).resolve(file)).filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    /** Finds the one feature cache file of a split under OUT/features/ENCODER-DIGEST/SPLIT. */
    private static Path featureFile(Path out, String split) throws IOException {
        try (Stream<Path> keys = Files.list(out.resolve("features"))) {
            List<Path> files = keys.map(k -> k.resolve(split).resolve("features.f32")).filter(Files::isRegularFile)
                    .toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
