package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the command-line entry point's arguments and exit codes. */
class GenerateSyntheticDatasetTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GenerateSyntheticDataset.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheRequestedDatasetAndExitsZero(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("synth");
        int code = run(dir.toString(), "--images", "20", "--size", "64", "--seed", "5", "--test", "0.25");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readAllLines(dir.resolve("Flickr_8k.testImages.txt"))).hasSize(5);
        assertThat(Files.readString(dir.resolve(SyntheticDataset.MANIFEST_FILE))).contains("seed=5", "imageSize=64");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("20 images (train 13, dev 2, test 5)");
    }

    @Test
    void badValueExitsTwoNamingTheField(@TempDir Path tmp) {
        assertThat(run(tmp.resolve("x").toString(), "--size", "20")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("imageSize", "found 20", "usage:");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void missingDirectoryExitsTwo() {
        assertThat(run("--images", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing the output directory");
    }

    @Test
    void occupiedDirectoryExitsOne(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("other.txt"), "x");
        assertThat(run(tmp.toString(), "--images", "5")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(tmp.toString());
    }
}
