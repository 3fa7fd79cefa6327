package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptionerCliTest {

    @Test
    void versionNamesSdkDjlAndPytorchVersions() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("captioner 0.1.0-SNAPSHOT").contains("DJL 0.36.0, PyTorch 2.7.1");
    }

    @Test
    void helpListsCommandsAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: captioner").contains("Commands:");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("--frobnicate");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--frobnicate").contains("captioner --help");
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("Missing command");
    }
}
