package io.captioner.examples.cli;

import io.captioner.examples.train.Quickstart;
import io.captioner.data.synthetic.BindingScores;
import io.captioner.examples.train.QuickstartOptions;
import io.captioner.models.decoder.DecoderType;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code captioner quickstart}: generates the synthetic shapes dataset, trains the small CNN and
 * the LSTM decoder end to end on CPU, prints held-out test captions beside their references, and
 * ends with one line of JSON (BLEU-1..4, the most-common-caption baseline, training seconds, test
 * images, the saved model's directory). Progress goes to stderr.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a small CNN + LSTM captioner end to end on a generated synthetic dataset,",
            "scores the held-out test split with BLEU and saves the model; ends with one JSON line."
        })
final class QuickstartCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--out", defaultValue = ServeCommand.QUICKSTART_OUT, paramLabel = "DIR",
            description = "Directory for dataset/, training/ and model/ (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--images", defaultValue = "4000", paramLabel = "N",
            description = "Images over all splits (default: ${DEFAULT-VALUE}).")
    private int images;

    /** The attention decoder's epoch takes about 2.7 times the LSTM's; 8 keep its training near 5 minutes. */
    static final int LSTM_EPOCHS = 20;
    static final int ATTENTION_EPOCHS = 8;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Most training epochs (default: " + LSTM_EPOCHS + " for lstm, " + ATTENTION_EPOCHS
                    + " for attention).")
    private Integer epochs;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the dataset, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "K",
            description = {"Beam width for the dev and test captions and the saved model; 1 is greedy",
                "(default: ${DEFAULT-VALUE})."})
    private int beam;

    @Option(names = "--image-merge", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Add the projected image to the decoder's LSTM output at every step as well as to",
                "its initial state; --no-image-merge trains the plain Show-and-Tell decoder (default: on)."})
    private boolean imageMerge;

    @Option(names = "--decoder", defaultValue = "lstm", paramLabel = "D",
            converter = CliArgs.DecoderTypeConverter.class,
            description = {"lstm: Show and Tell, the LSTM fed the pooled image; attention: Show, Attend and Tell,",
                "soft attention over the CNN's last feature map (default: ${DEFAULT-VALUE})."})
    private DecoderType decoder;

    @Override
    public Integer call() {
        QuickstartOptions options;
        try {
            options = QuickstartOptions.builder().setOutDir(out).optImages(images).optEpochs(epochs != null ? epochs
                            : decoder == DecoderType.SHOW_ATTEND_TELL ? ATTENTION_EPOCHS : LSTM_EPOCHS).optSeed(seed)
                    .optBeamSize(beam).optImageMerge(imageMerge).optDecoder(decoder)
                    .build();
        } catch (IllegalArgumentException e) {
            CliArgs.require(spec, false, e.getMessage());
            return CaptionerCli.EXIT_OK; // not reached: require throws
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PrintStream progress = ProgressOutput.of(stderr);
        Quickstart.Result result = Quickstart.run(options, progress);
        for (Quickstart.Example e : result.examples()) {
            stdout.println(e.image() + "  generated: " + e.caption());
            for (String r : e.references()) {
                stdout.println("    reference: " + r);
            }
        }
        BindingScores b = result.binding();
        stdout.printf(Locale.ROOT, "binding (%s decoder, test split): %d colour-shape pairs named, %s true;"
                + " held-out pairs named in %s of the images that show them; %s of captions name a shape%n",
                result.decoder(), b.pairsNamed(), percent(b.pairPrecision()), percent(b.heldOutPairRecall()),
                percent(b.shapeCaptionShare()));
        stdout.println(result.toJson());
        stdout.flush();
        return CaptionerCli.EXIT_OK;
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }
}
