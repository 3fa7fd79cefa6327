package io.captioner.examples.cli;

import io.captioner.Captioner;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.examples.attention.AttentionAlignment;
import io.captioner.examples.attention.AttentionAlignment.Variant;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.image.Preprocessing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code captioner attention-alignment}: measures whether a model's attention maps line up with
 * the picture it saw ({@link AttentionAlignment}) on the test split of the synthetic dataset it
 * was trained on. The dataset options default to the quickstart's (4,000 images of 64 px, seed 42),
 * so {@code --model quickstart-out/model} alone measures the quickstart model. Prints one line per
 * variant, then one line of JSON ({@link AttentionAlignment.Result#toJson()}).
 */
@Command(
        name = "attention-alignment",
        mixinStandardHelpOptions = true,
        description = {
            "Measures how often the attention peak of the shape word falls in the shape's own quadrant, on the"
                    + " synthetic test images with one shape,",
            "as generated, wider, taller, as JPEG and as JPEG with EXIF orientation (model with attention)."
        })
final class AttentionAlignmentCommand implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "Model artifact with an attention decoder (directory or .zip).")
    private Path model;

    @Option(names = "--images", defaultValue = "4000", paramLabel = "N",
            description = "Images of the synthetic dataset over all splits, as trained (default: ${DEFAULT-VALUE}).")
    private int images;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX",
            description = "Side of its images in pixels (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Its seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Use at most N test images (default: all with one shape).")
    private Integer limit;

    @Option(names = "--beam", paramLabel = "K", description = "Beam search of width K (default: the model's options).")
    private Integer beam;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SyntheticDataset dataset;
        try {
            dataset = SyntheticDataset.builder().optImages(images).optImageSize(size).optSeed(seed).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, found " + limit);
        }
        try (Captioner captioner = Captioner.load(model)) {
            if (!(captioner instanceof DjlCaptioner djl) || !djl.decoder().hasAttention()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "model " + model
                        + " has no attention decoder; attention-alignment needs one (quickstart --decoder attention)");
            }
            Preprocessing preprocessing = djl.preprocessing().orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "model " + model + ": its encoder's resize and crop are unknown"));
            DecodingOptions options = captioner.defaultOptions();
            if (beam != null) {
                options = options.toBuilder().optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(beam).build();
            }
            AttentionAlignment.Result result = AttentionAlignment.measure(captioner, preprocessing, dataset, options,
                    limit == null ? Integer.MAX_VALUE : limit);
            out.printf(Locale.ROOT, "%d test images with one shape (%s); chance 0.25%n", result.images(), dataset);
            for (AttentionAlignment.VariantResult v : result.variants()) {
                String same = v.variant() == Variant.SQUARE ? ""
                        : String.format(Locale.ROOT, "; peak as in %s: same quadrant %.3f, same cell %.3f",
                                v.variant().reference().id(), result.sameQuadrantShare(v.variant()),
                                result.sameCellShare(v.variant()));
                out.printf(Locale.ROOT, "%-10s peak in the shape's quadrant %d/%d = %.3f (no shape word: %d)%s%n",
                        v.variant().id(), v.aligned(), v.scored(), v.quadrantShare(), v.withoutShapeWord(), same);
            }
            out.println(result.toJson());
            out.flush();
            return CaptionerCli.EXIT_OK;
        }
    }
}
