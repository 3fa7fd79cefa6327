package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.CaptionerException;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.examples.cli.CaptionerCli;
import io.captioner.io.Digests;
import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureShards;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.image.Preprocessing;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature extraction job on local[2]: the features command's numbers, shards train reads, failures. */
@Tag("slow")
class ExtractFeaturesTest {

    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(40).optImageSize(64)
            .optSeed(3).build();

    @TempDir static Path dir;
    static SparkSession spark;
    static Path dataset;
    static Path images;
    static Path weights;
    static Path features;
    static ExtractFeatures.Summary summary;

    @BeforeAll
    static void extractOnce() throws IOException {
        spark = SparkSessions.local2();
        dataset = dir.resolve("flickr8k");
        images = TestData.images(dataset, DATA);
        TestData.addBadFiles(images);
        weights = TestData.randomWeights(TorchvisionArch.RESNET50, dir.resolve("resnet50.npz"), 1);
        features = dir.resolve("features");
        summary = ExtractFeatures.run(spark, options(images, features).build());
    }

    private static ExtractFeatures.Options.Builder options(Path from, Path to) {
        return ExtractFeatures.Options.builder().setEncoder(TorchvisionArch.RESNET50).setWeights(weights.toString())
                .setImages(from.toString()).setOut(to.toString()).optMaxBytes(TestData.MAX_BYTES);
    }

    private static List<Path> goodImages(Path from) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            return s.filter(p -> !TestData.BAD_FILES.contains(p.getFileName().toString())).sorted().toList();
        }
    }

    /** A folder with the first n good images only. */
    private static Path someImages(String name, int n) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        for (Path p : goodImages(images).subList(0, n)) {
            Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    @Test
    void featuresEqualTheFeaturesCommandsTo1e6() throws IOException {
        List<Path> good = goodImages(images);
        Path npy = dir.resolve("command.npy");
        List<String> args = new ArrayList<>(List.of("features", "--encoder", "resnet50", "--weights",
                weights.toString(), "--out", npy.toString()));
        good.forEach(p -> args.add(p.toString()));
        StringWriter err = new StringWriter();
        int code = CaptionerCli.run(args.toArray(new String[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        NpyArray expected = Npy.read(npy);
        float[] flat = expected.toFloatArray();

        FeatureShards shards = FeatureShards.open(features);
        float[][] rows = shards.rows(good.stream().map(p -> p.getFileName().toString()).toList());

        assertThat(shards.shape()).containsExactly(2048);
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 2048; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(rows[i][j] - flat[i * 2048 + j]));
                maxAbs = Math.max(maxAbs, Math.abs(flat[i * 2048 + j]));
            }
        }
        System.out.println("ExtractFeaturesTest: max |diff| " + maxDiff + ", max |feature| " + maxAbs);
        assertThat(maxAbs).as("features that are all near zero would prove nothing").isGreaterThan(0.05);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void shardsCarryTheEncodersCacheKey() {
        FeatureShards shards = FeatureShards.open(features);

        assertThat(shards.key()).isEqualTo(new CacheKey("resnet50", 2048, Digests.sha256(weights),
                Preprocessing.imagenet().toString()));
        assertThat(shards.size()).isEqualTo(DATA.images());
    }

    @Test
    void badFilesAreListedWithTheirErrorsAndCounted() {
        FeatureShards shards = FeatureShards.open(features);

        assertThat(shards.failures()).extracting(FeatureShards.Failure::imageId)
                .containsExactlyInAnyOrderElementsOf(TestData.BAD_FILES);
        assertThat(shards.failures()).allSatisfy(f -> assertThat(f.error()).contains(f.imageId()));
        assertThat(summary.images()).isEqualTo(DATA.images() + TestData.BAD_FILES.size());
        assertThat(summary.encoded()).isEqualTo(DATA.images());
        assertThat(summary.failed()).isEqualTo(TestData.BAD_FILES.size());
    }

    @Test
    void trainWithFeaturesConsumesTheShards() {
        Path out = dir.resolve("run");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int code = CaptionerCli.run(new String[] {"train", "--dataset", dataset.toString(), "--encoder", "resnet50",
            "--weights", weights.toString(), "--features", features.toString(), "--out", out.toString(),
            "--epochs", "1", "--batch-size", "32", "--min-count", "1", "--hidden", "32", "--embedding", "32",
            "--beam", "2"}, new PrintWriter(stdout), new PrintWriter(stderr));

        assertThat(code).as(stderr.toString()).isZero();
        String[] lines = stdout.toString().strip().split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertThat(json.get("encoded_images").getAsInt()).isZero();
        assertThat(json.get("test_images").getAsInt()).isEqualTo(DATA.testImages());
        assertThat(out.resolve("model").resolve("manifest.json")).isRegularFile();
    }

    @Test
    void spatialFeaturesAreTheLastMapLocationMajor() throws IOException {
        Path from = someImages("spatial-images", 3);
        Path out = dir.resolve("spatial");

        ExtractFeatures.Summary s = ExtractFeatures.run(spark, options(from, out).optSpatial(true).build());

        FeatureShards shards = FeatureShards.open(out);
        assertThat(shards.shape()).containsExactly(7, 7, 2048);
        assertThat(s.shape()).containsExactly(7, 7, 2048);
        Path first = goodImages(from).get(0);
        float[] row = shards.rows(List.of(first.getFileName().toString()))[0];
        try (BlockEncoder encoder = Encoders.torchvision(TorchvisionArch.RESNET50, weights,
                EncoderOptions.defaults().withSpatialOutput())) {
            float[] map = encoder.encode(List.of(ImageLoader.standard().load(first)))[0];
            assertThat(map.length).isEqualTo(49 * 2048);
            double maxDiff = 0;
            for (int i = 0; i < map.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(row[i] - map[i]));
            }
            assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void aSecondRunReplacesTheShardsAndShardRowsSplitTasks() throws IOException {
        Path from = someImages("few-images", 7);
        Path out = dir.resolve("rerun");
        ExtractFeatures.run(spark, options(from, out).optShardRows(2).build());

        ExtractFeatures.Summary second = ExtractFeatures.run(spark, options(from, out).optShardRows(2).build());

        FeatureShards shards = FeatureShards.open(out);
        assertThat(shards.size()).isEqualTo(7);
        assertThat(second.shards()).isGreaterThanOrEqualTo(4);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".npy")).count())
                    .isEqualTo(second.shards());
        }
    }

    @Test
    void outputDirectoryHoldingOtherFilesIsRefused() throws IOException {
        Path out = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(out.resolve("thesis.tex"), "keep me");

        assertThatThrownBy(() -> ExtractFeatures.run(spark, options(images, out).build()))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("holds thesis.tex");
        assertThat(out.resolve("thesis.tex")).exists();
    }

    @Test
    void missingWeightsFailOnTheDriverNamingThem() {
        Path missing = dir.resolve("absent.npz");

        assertThatThrownBy(() -> ExtractFeatures.run(spark, ExtractFeatures.Options.builder()
                .setEncoder(TorchvisionArch.RESNET50).setWeights(missing.toString()).setImages(images.toString())
                .setOut(dir.resolve("none").toString()).build()))
                .isInstanceOf(CaptionerException.class).hasMessageContaining(missing.toString());
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void commandLineEndsWithOneJsonSummaryLine() throws IOException {
        Path from = someImages("cli-images", 2);
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int code = ExtractFeatures.execute(new String[] {"--encoder", "resnet50", "--weights", weights.toString(),
            "--images", from.toString(), "--out", dir.resolve("cli").toString()}, new PrintWriter(stdout),
                new PrintWriter(stderr));

        assertThat(code).as(stderr.toString()).isEqualTo(SparkJobs.EXIT_OK);
        String[] lines = stdout.toString().strip().split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertThat(json.keySet()).containsExactly("images", "encoded", "failed", "seconds", "images_per_second",
                "shape", "shards");
        assertThat(json.get("encoded").getAsLong()).isEqualTo(2);
    }

    @Test
    void unknownEncoderIsAUsageError() {
        StringWriter stderr = new StringWriter();

        int code = ExtractFeatures.execute(new String[] {"--encoder", "alexnet", "--weights", "w.npz", "--images",
            "x", "--out", "y"}, new PrintWriter(new StringWriter()), new PrintWriter(stderr));

        assertThat(code).isEqualTo(SparkJobs.EXIT_USAGE);
        assertThat(stderr.toString()).contains("unknown architecture 'alexnet', expected one of vgg16, resnet50");
    }
}
