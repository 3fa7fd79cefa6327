package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.synthetic.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {

    @TempDir Path tmp;

    @Test
    void writesTheRequestedDatasetAndExitsZero() throws Exception {
        Path dir = tmp.resolve("synth");
        CliRun run = CliRun.of("synth", dir.toString(), "--images", "20", "--size", "64", "--seed", "5",
                "--test", "0.25");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("Flickr_8k.testImages.txt"))).hasSize(5);
        assertThat(Files.readString(dir.resolve(SyntheticDataset.MANIFEST_FILE))).contains("seed=5", "imageSize=64");
        assertThat(run.out()).contains("20 images (train 13, dev 2, test 5)").contains("images/s");
    }

    @Test
    void defaultsAreTheLibraryDefaults() {
        SynthCommand command = new SynthCommand();
        new CommandLine(command).parseArgs(tmp.toString());
        assertThat(command.dataset()).isEqualTo(SyntheticDataset.builder().build());
    }

    @Test
    void devHeldOutMakesDevFollowTheTestRule() {
        SynthCommand command = new SynthCommand();
        new CommandLine(command).parseArgs(tmp.toString(), "--dev-held-out");
        assertThat(command.dataset().devComposition()).isEqualTo(SyntheticDataset.Composition.HELD_OUT);
    }

    @Test
    void invalidValueIsAUsageErrorNamingTheField() {
        Path dir = tmp.resolve("x");
        CliRun run = CliRun.of("synth", dir.toString(), "--size", "20");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("imageSize", "found 20");
        assertThat(dir).doesNotExist();
    }

    @Test
    void missingDirectoryIsAUsageError() {
        CliRun run = CliRun.of("synth", "--images", "5");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("DIR");
    }

    @Test
    void occupiedDirectoryIsARuntimeErrorNamingIt() throws Exception {
        Files.writeString(tmp.resolve("other.txt"), "x");
        CliRun run = CliRun.of("synth", tmp.toString(), "--images", "5");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(tmp.toString());
    }
}
