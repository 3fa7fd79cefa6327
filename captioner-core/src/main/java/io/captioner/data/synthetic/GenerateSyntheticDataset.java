package io.captioner.data.synthetic;

import io.captioner.CaptionerException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line entry point that writes a synthetic dataset, for scripts and timing runs:
 *
 * <pre>{@code
 * java -cp captioner-core.jar:slf4j-api.jar io.captioner.data.synthetic.GenerateSyntheticDataset \
 *     DIR [--images N] [--size PX] [--seed S] [--dev F] [--test F] [--dev-held-out]
 * }</pre>
 *
 * <p>Prints the {@link GenerationSummary} and the images per second. Exit codes: 0 success, 1 an
 * I/O or data error (message on stderr), 2 bad arguments (usage on stderr).
 */
public final class GenerateSyntheticDataset {

    private static final String USAGE = "usage: GenerateSyntheticDataset DIR [--images N] [--size PX]"
            + " [--seed S] [--dev FRACTION] [--test FRACTION] [--dev-held-out]";

    private GenerateSyntheticDataset() {}

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command without exiting the JVM.
     *
     * @param args the directory, then options as in the class documentation
     * @param out where the summary goes
     * @param err where errors and usage go
     * @return 0 on success, 1 on an I/O or data error, 2 on bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SyntheticDataset.Builder builder = SyntheticDataset.builder();
        Path dir = null;
        double dev = 0.1;
        double test = 0.1;
        List<String> list = List.of(args);
        try {
            for (int i = 0; i < list.size(); i++) {
                String arg = list.get(i);
                switch (arg) {
                    case "--images":
                        builder.optImages(Integer.parseInt(value(list, ++i, arg)));
                        break;
                    case "--size":
                        builder.optImageSize(Integer.parseInt(value(list, ++i, arg)));
                        break;
                    case "--seed":
                        builder.optSeed(Long.parseLong(value(list, ++i, arg)));
                        break;
                    case "--dev":
                        dev = Double.parseDouble(value(list, ++i, arg));
                        break;
                    case "--test":
                        test = Double.parseDouble(value(list, ++i, arg));
                        break;
                    case "--dev-held-out":
                        builder.optDevComposition(SyntheticDataset.Composition.HELD_OUT);
                        break;
                    default:
                        if (arg.startsWith("-") || dir != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        dir = Path.of(arg);
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("missing the output directory DIR");
            }
            builder.optSplitFractions(dev, test);
            SyntheticDataset dataset = builder.build();
            out.println(dataset);
            GenerationSummary summary = dataset.generate(dir);
            out.println(summary);
            if (!summary.reused()) {
                out.printf(java.util.Locale.ROOT, "%.0f images/s%n", summary.images() / summary.seconds());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (CaptionerException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
