package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.eval.CocoResults;
import io.captioner.models.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch captioning job on local[2]: same captions as captionAll, bad files as rows, outputs, exit codes. */
@Tag("slow")
class BatchCaptionTest {

    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(200).optImageSize(64)
            .optSeed(11).build();
    private static final int BEAM = 2;

    @TempDir static Path dir;
    static Path model;
    static Path images;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkSessions.local2();
        model = TestData.tinyModel(dir.resolve("model"), DATA);
        images = TestData.images(dir.resolve("dataset"), DATA);
        TestData.addBadFiles(images);
    }

    private static BatchCaption.Options.Builder options(Path out) {
        return BatchCaption.Options.builder().setModel(model.toString()).setImages(images.toString())
                .setOut(out.toString()).optBeam(BEAM).optMaxBytes(TestData.MAX_BYTES);
    }

    /** The written table, by image id. */
    private static Map<String, Row> table(Path out, String format) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().format(format).load(out.resolve(BatchCaption.CAPTIONS_DIR).toString())
                .collectAsList()) {
            assertThat(rows.put(r.getAs("image_id"), r)).as("duplicate row for " + r.getAs("image_id")).isNull();
        }
        return rows;
    }

    /** The good images, captioned by a plain captioner in one captionAll call with the job's options. */
    private static Map<String, Caption> reference() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> !TestData.BAD_FILES.contains(p.getFileName().toString())).sorted().toList();
        }
        List<BufferedImage> decoded = new ArrayList<>();
        for (Path f : files) {
            decoded.add(ImageLoader.standard().load(f));
        }
        try (Captioner captioner = Captioner.load(model)) {
            DecodingOptions options = captioner.defaultOptions().toBuilder()
                    .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(BEAM).optNBest(1).build();
            List<Caption> captions = captioner.captionAll(decoded, options);
            Map<String, Caption> byId = new TreeMap<>();
            for (int i = 0; i < files.size(); i++) {
                byId.put(files.get(i).getFileName().toString(), captions.get(i));
            }
            return byId;
        }
    }

    /**
     * Scores agree to 1e-6 relative, not absolute: the decoder sums float32 log-probabilities, and
     * a batch of another size takes another BLAS blocking, so a score near -47 (where one float32
     * step is 3.8e-6) may differ in its last bits; the words may not differ at all.
     */
    @Test
    void captionsEqualCaptionAllWordForWordAndScoreTo1e6() throws IOException {
        Path out = dir.resolve("parity");

        BatchCaption.run(spark, options(out).build());

        Map<String, Row> rows = table(out, "parquet");
        Map<String, Caption> expected = reference();
        assertThat(expected).hasSize(DATA.images());
        for (Map.Entry<String, Caption> e : expected.entrySet()) {
            Row r = rows.get(e.getKey());
            assertThat(r).as(e.getKey()).isNotNull();
            assertThat((String) r.getAs("error")).as(e.getKey()).isNull();
            assertThat((String) r.getAs("caption")).as(e.getKey()).isEqualTo(e.getValue().text());
            assertThat(r.getList(r.fieldIndex("tokens"))).as(e.getKey()).isEqualTo(e.getValue().tokens());
            double score = r.getAs("score");
            assertThat(Math.abs(score - e.getValue().logProb())).as(e.getKey() + " score " + score + " vs "
                    + e.getValue().logProb()).isLessThanOrEqualTo(1e-6 * Math.abs(e.getValue().logProb()));
            assertThat((String) r.getAs("path")).endsWith("/" + e.getKey());
        }
    }

    @Test
    void badFilesBecomeRowsWithTheirErrorAndAreCounted() {
        Path out = dir.resolve("bad");

        BatchCaption.Summary summary = BatchCaption.run(spark, options(out).build());

        Map<String, Row> rows = table(out, "parquet");
        assertThat(rows).hasSize(DATA.images() + TestData.BAD_FILES.size());
        for (String bad : TestData.BAD_FILES) {
            Row r = rows.get(bad);
            assertThat((String) r.getAs("error")).as(bad).contains(bad);
            assertThat((String) r.getAs("caption")).as(bad).isNull();
            assertThat(r.isNullAt(r.fieldIndex("score"))).as(bad).isTrue();
        }
        assertThat((String) rows.get("huge.png").getAs("error")).contains("exceeds the limit of 50000000 pixels");
        assertThat((String) rows.get("notes.txt").getAs("error")).contains("not a supported image format");
        assertThat((String) rows.get("big.jpg").getAs("error")).endsWith("big.jpg: file of " + TestData.BIG_BYTES
                + " bytes exceeds the limit of " + TestData.MAX_BYTES + " bytes (--max-bytes)");
        assertThat(summary.images()).isEqualTo(DATA.images() + TestData.BAD_FILES.size());
        assertThat(summary.captioned()).isEqualTo(DATA.images());
        assertThat(summary.failed()).isEqualTo(TestData.BAD_FILES.size());
    }

    @Test
    void resultsFileHoldsEveryCaptionInCocoFormat() {
        Path out = dir.resolve("coco");

        BatchCaption.run(spark, options(out).build());

        Map<String, String> results = CocoResults.read(out.resolve(BatchCaption.RESULTS_FILE));
        Map<String, String> table = new HashMap<>();
        table(out, "parquet").forEach((id, r) -> {
            if (r.getAs("error") == null) {
                table.put(id, r.getAs("caption"));
            }
        });
        assertThat(results).hasSize(DATA.images()).isEqualTo(table);
    }

    @Test
    void secondRunIntoTheSameFolderGivesTheSameOutput() throws IOException {
        Path out = dir.resolve("twice");
        BatchCaption.run(spark, options(out).optFormat(BatchCaption.Format.JSON).build());
        Map<String, Row> first = table(out, "json");
        String firstResults = Files.readString(out.resolve(BatchCaption.RESULTS_FILE));

        BatchCaption.run(spark, options(out).optFormat(BatchCaption.Format.JSON).build());

        Map<String, Row> second = table(out, "json");
        assertThat(second).hasSize(DATA.images() + TestData.BAD_FILES.size());
        TestData.assertSameRows(second, first);
        assertThat(Files.readString(out.resolve(BatchCaption.RESULTS_FILE))).isEqualTo(firstResults);
    }

    @Test
    void unreadableModelFailsOnTheDriverNamingItBeforeAnyOutput() throws IOException {
        Path broken = Files.createDirectories(dir.resolve("broken-model"));
        Files.writeString(broken.resolve("manifest.json"), "{not json");
        Path out = dir.resolve("never");

        assertThatThrownBy(() -> BatchCaption.run(spark, BatchCaption.Options.builder().setModel(broken.toString())
                .setImages(images.toString()).setOut(out.toString()).build()))
                .isInstanceOf(CaptionerException.class).hasMessageContaining(broken.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void missingImagePathFailsNamingIt() {
        StringWriter stderr = new StringWriter();
        Path absent = dir.resolve("no-such-folder");

        int code = BatchCaption.execute(new String[] {"--model", model.toString(), "--images", absent.toString(),
            "--out", dir.resolve("y").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(stderr));

        assertThat(code).isEqualTo(SparkJobs.EXIT_RUNTIME);
        assertThat(stderr.toString()).contains("error: ", absent.toString());
    }

    @Test
    void commandLineEndsWithOneJsonSummaryLine() {
        Path out = dir.resolve("cli");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();

        int code = BatchCaption.execute(new String[] {"--model", model.toString(), "--images", images.toString(),
            "--out", out.toString(), "--beam", "2", "--format", "json", "--max-bytes", "100000"}, new PrintWriter(stdout), new PrintWriter(stderr));

        assertThat(code).as(stderr.toString()).isEqualTo(SparkJobs.EXIT_OK);
        String[] lines = stdout.toString().strip().split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertThat(json.keySet()).containsExactly("images", "captioned", "failed", "seconds", "images_per_second");
        assertThat(json.get("images").getAsLong()).isEqualTo(DATA.images() + TestData.BAD_FILES.size());
        assertThat(json.get("failed").getAsLong()).isEqualTo(TestData.BAD_FILES.size());
        assertThat(out.resolve(BatchCaption.CAPTIONS_DIR)).isDirectory();
        assertThat(spark.sparkContext().isStopped()).as("a running session is left running").isFalse();
    }

    @Test
    void invalidOptionIsAUsageError() {
        StringWriter stderr = new StringWriter();

        int code = BatchCaption.execute(new String[] {"--model", model.toString(), "--images", images.toString(),
            "--out", dir.resolve("x").toString(), "--batch-size", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(stderr));

        assertThat(code).isEqualTo(SparkJobs.EXIT_USAGE);
        assertThat(stderr.toString()).contains("--batch-size must be at least 1, found 0");
    }
}
