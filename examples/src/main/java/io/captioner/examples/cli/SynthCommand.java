package io.captioner.examples.cli;

import io.captioner.data.synthetic.GenerationSummary;
import io.captioner.data.synthetic.SyntheticDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code captioner synth DIR}: writes the synthetic shapes dataset ({@link SyntheticDataset}) in
 * the Flickr8k original layout, for scripts and timing runs, and prints its description, the
 * {@link GenerationSummary} and the images per second. The defaults are the library's. A directory
 * that already holds the same dataset is reused; one holding anything else is refused (exit 1).
 */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the synthetic shapes dataset (PNG images, 5 captions each, held-out colour-shape pairs"
                    + " in test) in the Flickr8k layout.",
            "DIR must not exist, be empty, or hold this same dataset (then it is reused)."
        })
final class SynthCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to write the dataset to.")
    private Path dir;

    @Option(names = "--images", defaultValue = "2000", paramLabel = "N",
            description = "Images over all splits (default: ${DEFAULT-VALUE}).")
    private int images;

    @Option(names = "--size", defaultValue = "96", paramLabel = "PX",
            description = "Side of the square images in pixels, 64 to 512 (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed every image is derived from (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--dev", defaultValue = "0.1", paramLabel = "F",
            description = "Share of dev images in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double dev;

    @Option(names = "--test", defaultValue = "0.1", paramLabel = "F",
            description = "Share of test images in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double test;

    @Option(names = "--dev-held-out",
            description = "Dev images follow the test rule (held-out pairs) instead of the training rule.")
    private boolean devHeldOut;

    @Override
    public Integer call() {
        SyntheticDataset dataset = dataset();
        PrintWriter out = spec.commandLine().getOut();
        out.println(dataset);
        GenerationSummary summary = dataset.generate(dir);
        out.println(summary);
        if (!summary.reused()) {
            out.printf(Locale.ROOT, "%.0f images/s%n", summary.images() / summary.seconds());
        }
        out.flush();
        return CaptionerCli.EXIT_OK;
    }

    /** Builds the dataset the options describe; an invalid value is a usage error naming the field. */
    SyntheticDataset dataset() {
        try {
            return SyntheticDataset.builder().optImages(images).optImageSize(size).optSeed(seed)
                    .optSplitFractions(dev, test)
                    .optDevComposition(devHeldOut ? SyntheticDataset.Composition.HELD_OUT
                            : SyntheticDataset.Composition.SEEN)
                    .build();
        } catch (IllegalArgumentException e) {
            CliArgs.require(spec, false, e.getMessage());
            throw e; // not reached: require throws
        }
    }
}
