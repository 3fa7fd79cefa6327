package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RssSoakCliTest {

    private static RssSoak.Cli parse(String... args) {
        CommandLine cmd = RssSoak.commandLine();
        cmd.parseArgs(args);
        return cmd.getCommand();
    }

    /** Runs the command line on arguments that never reach a soak; returns exit code and output. */
    private static Map.Entry<Integer, String> execute(String... args) {
        StringWriter text = new StringWriter();
        CommandLine cmd = RssSoak.commandLine();
        cmd.setErr(new PrintWriter(text));
        cmd.setOut(new PrintWriter(text));
        return Map.entry(cmd.execute(args), text.toString());
    }

    @Test
    void defaultsAreTheSameAsBeforePicocli() {
        RssSoak.Cli cli = parse();

        assertThat(cli.plan()).isEqualTo(new RssSoak.Plan(10_000, 2_000, 4, 25,
                List.of(RssSoak.Threads.FIXED, RssSoak.Threads.NEW)));
        assertThat(cli.out).isEqualTo(Path.of("captioner-benchmarks", "results"));
    }

    @Test
    void optionsSetThePlanAndThreadsAreCaseInsensitive() {
        RssSoak.Cli cli = parse("--captions", "0", "--decodes", "600", "--batch", "16", "--samples", "20",
                "--threads", "FIXED", "--out", "a", "--out", "b");

        assertThat(cli.plan()).isEqualTo(new RssSoak.Plan(0, 600, 16, 20, List.of(RssSoak.Threads.FIXED)));
        assertThat(cli.out).isEqualTo(Path.of("b"));
    }

    @Test
    void tooFewSamplesIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--samples", "5");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--samples must be >= 6, found 5").contains("Usage:");
    }

    @Test
    void anUnknownThreadModeIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--threads", "fixed,pooled");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--threads").contains("pooled");
    }

    @Test
    void aNonNumericCountIsAUsageErrorNamingTheOption() {
        Map.Entry<Integer, String> r = execute("--decodes", "many");

        assertThat(r.getKey()).isEqualTo(2);
        assertThat(r.getValue()).contains("--decodes").contains("many");
    }

    @Test
    void helpListsEveryOptionAndExitsZero() {
        Map.Entry<Integer, String> r = execute("--help");

        assertThat(r.getKey()).isZero();
        assertThat(r.getValue()).contains("--captions", "--decodes", "--batch", "--samples", "--threads", "--out");
    }
}
