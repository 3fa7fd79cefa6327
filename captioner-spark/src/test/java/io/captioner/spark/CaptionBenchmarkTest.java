package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.synthetic.SyntheticDataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end and reports every figure; its timings are not checked here. */
@Tag("slow")
class CaptionBenchmarkTest {

    @Test
    void reportsBothRatesAndTheOverheads(@TempDir Path dir) {
        SyntheticDataset data = SyntheticDataset.builder().optImages(12).optImageSize(64).optSeed(9).build();
        Path model = TestData.tinyModel(dir.resolve("model"), data);
        Path images = TestData.images(dir.resolve("dataset"), data);

        CaptionBenchmark.Result r = CaptionBenchmark.run(SparkSessions.local2(), model, images, 4, 2, 1,
                dir.resolve("work"));

        assertThat(r.images()).isEqualTo(12);
        assertThat(r.slots()).isEqualTo(2);
        assertThat(r.plainImagesPerSecond()).isPositive();
        assertThat(r.sparkImagesPerSecond()).isPositive();
        assertThat(r.jobOverheadSeconds()).isPositive();
        assertThat(r.taskOverheadMillis()).isPositive();
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertThat(json.keySet()).containsExactly("images", "slots", "plain_images_per_second",
                "spark_images_per_second", "ratio", "job_overhead_seconds", "task_overhead_ms");
    }
}
