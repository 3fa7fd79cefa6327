package io.captioner.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The Markdown report options that {@code score} and {@code evaluate} share, as a picocli mixin:
 * {@code --report REPORT.md} and {@code --report-samples N}.
 */
final class ReportOptions {

    @Option(names = "--report", paramLabel = "REPORT.md",
            description = "Also write a Markdown report: the metric table and a sample of images.")
    private Path report;

    @Option(names = "--report-samples", defaultValue = "10", paramLabel = "N",
            description = "Images shown in the report's sample (default: ${DEFAULT-VALUE}).")
    private int samples;

    /**
     * Refuses a negative sample count.
     *
     * @param spec the command being run, for the usage error
     * @throws CommandLine.ParameterException naming the option and the value found
     */
    void validate(CommandSpec spec) {
        if (samples < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--report-samples must be >= 0, found " + samples);
        }
    }

    /** Returns the report file, or null when no report was asked for. */
    Path report() {
        return report;
    }

    /** Returns the images shown in the report's sample. */
    int samples() {
        return samples;
    }
}
