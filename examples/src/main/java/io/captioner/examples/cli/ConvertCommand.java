package io.captioner.examples.cli;

import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.Manifest;
import io.captioner.models.decoder.Precision;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code captioner convert --model M --precision P --out M2}: saves a copy of a model artifact that
 * decodes at another weight precision by default ({@link ArtifactWriter#copyWithPrecision}); the
 * parameters stay float32, so {@code caption --precision} can still pick any precision at load time.
 * Prints the copy's path and precision. Exit codes: 0 written, 1 the model cannot be read or its
 * decoder does not decode at that precision, 2 usage error.
 */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Saves a copy of a model that decodes at another weight precision (recorded in its manifest).",
            "bf16 halves and int8 quarters the bytes a decoding step reads; the parameter file stays float32."
        })
final class ConvertCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Model artifact directory or .zip.")
    private Path model;

    @Option(names = "--precision", required = true, paramLabel = "P", converter = CliArgs.PrecisionConverter.class,
            description = "Decoder weight precision of the copy: fp32, bf16 or int8.")
    private Precision precision;

    @Option(names = "--out", required = true, paramLabel = "M2",
            description = "The copy: a directory, or a path ending in .zip; replaced if it exists.")
    private Path out;

    @Override
    public Integer call() {
        CliArgs.require(spec, !model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize()),
                "--out must differ from --model, found " + out);
        Manifest written = ArtifactWriter.copyWithPrecision(model, out, precision);
        PrintWriter o = spec.commandLine().getOut();
        o.println(out + ": decoder " + written.decoderConfig().type() + " at precision " + written.precision());
        o.flush();
        return CaptionerCli.EXIT_OK;
    }
}
