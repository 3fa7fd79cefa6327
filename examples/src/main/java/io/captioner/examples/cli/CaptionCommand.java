package io.captioner.examples.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.image.ImageLoader;
import io.captioner.visual.AttentionMapRenderer;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code captioner caption}: captions image files with a saved model artifact.
 *
 * <p>Plain output: one line per image, {@code <image><TAB><caption>}, then one indented line per
 * n-best alternative. With {@code --json}: one JSON object per line and image with {@code image},
 * {@code caption}, {@code score} (total natural-log probability), {@code tokens}, and, when
 * {@code --nbest} &gt; 1, {@code alternatives} (each {@code caption}, {@code score}). A file that
 * cannot be read is reported on stderr naming it; the others are still captioned, and the exit code
 * is then 1. Bad arguments exit 2.
 *
 * <p>With {@code --attention-maps DIR} (models with an attention decoder only) every image also
 * gets a PNG in DIR, named after the image file ({@code photo.jpg} → {@code photo.png}; a name
 * already taken in the same run gets {@code -2}, {@code -3}, ...): the picture the model saw (after
 * its resize and crop), then one panel per word with its attention over that picture, drawn by
 * {@link AttentionMapRenderer}. Each file is written atomically; {@code --json} adds its path as
 * {@code attention_map}. Asking a model without attention for maps is a usage error naming the
 * model and its decoder type.
 */
@Command(
        name = "caption",
        mixinStandardHelpOptions = true,
        description = {
            "Captions images with a saved model (a directory or .zip with manifest.json).",
            "Greedy by default; --beam K for beam search, --temperature/--top-k/--top-p/--seed for sampling."
        })
public final class CaptionCommand implements Callable<Integer> {

    private static final int BATCH = 16;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Model artifact directory or .zip.")
    private Path model;

    @Option(names = "--beam", paramLabel = "K", description = "Beam search of width K.")
    private Integer beam;

    @Option(names = "--nbest", paramLabel = "N", description = "Report N distinct captions per image (beam search).")
    private Integer nBest;

    @Option(names = "--max-length", paramLabel = "L", description = "Most tokens per caption (default: the model's).")
    private Integer maxLength;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample with temperature T.")
    private Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most probable words.")
    private Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample from the smallest set of words with probability P.")
    private Double topP;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampler, for repeatable captions.")
    private Long seed;

    @Option(names = "--json", description = "One JSON object per line and image.")
    private boolean json;

    @Option(names = "--attention-maps", paramLabel = "DIR",
            description = "Also write one PNG per image to DIR: the picture the model saw, then each word's attention"
                    + " over it (models with an attention decoder).")
    private Path attentionMaps;

    @Parameters(arity = "1..*", paramLabel = "IMG", description = "Image files (JPEG, PNG, GIF, BMP).")
    private List<Path> images;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageLoader loader = ImageLoader.standard();
        try (Captioner captioner = Captioner.load(model)) {
            DecodingOptions options = options(captioner.defaultOptions());
            AttentionMaps maps = attentionMaps == null ? null : new AttentionMaps(captioner);
            int failed = 0;
            List<Path> names = new ArrayList<>();
            List<BufferedImage> batch = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                Path file = images.get(i);
                try {
                    // Decoded here, not by captionFiles, so that one bad file fails alone.
                    batch.add(loader.load(file));
                    names.add(file);
                } catch (CaptionerException e) {
                    err.println("error: " + e.getMessage());
                    failed++;
                }
                if (batch.size() == BATCH || (i == images.size() - 1 && !batch.isEmpty())) {
                    List<Caption> captions = captioner.captionAll(batch, options);
                    for (int j = 0; j < captions.size(); j++) {
                        Path map = maps == null ? null : maps.write(names.get(j), batch.get(j), captions.get(j));
                        print(out, names.get(j), captions.get(j), options.nBest() > 1, map);
                    }
                    out.flush();
                    batch.clear();
                    names.clear();
                }
            }
            if (failed > 0) {
                err.println("error: " + failed + " of " + images.size() + " images could not be captioned");
                return CaptionerCli.EXIT_RUNTIME;
            }
            return CaptionerCli.EXIT_OK;
        }
    }

    /** Writes the attention-map PNGs of one run, one distinct file name per image. */
    private final class AttentionMaps {
        private final Captioner captioner;
        private final AttentionMapRenderer renderer = AttentionMapRenderer.defaults();
        private final Set<String> taken = new HashSet<>();

        AttentionMaps(Captioner captioner) {
            if (!(captioner instanceof DjlCaptioner djl) || !djl.decoder().hasAttention()) {
                throw usage("--attention-maps needs a model with attention, but model " + model + " has decoder "
                        + decoderType() + ", which has none; train one with 'quickstart --decoder attention'");
            }
            this.captioner = captioner;
        }

        /** The model's decoder type as its manifest names it, e.g. "show-and-tell-lstm (lstm)". */
        private String decoderType() {
            try {
                DecoderType type = ModelArtifact.readManifest(model).decoderConfig().type();
                return type.id() + " (" + type.shortName() + ")";
            } catch (CaptionerException e) {
                return "of unknown type (" + e.getMessage() + ")";
            }
        }

        Path write(Path image, BufferedImage decoded, Caption caption) {
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            String name = stem + ".png";
            for (int n = 2; !taken.add(name); n++) {
                name = stem + "-" + n + ".png";
            }
            Path file = attentionMaps.resolve(name);
            renderer.writePng(file, captioner.modelView(decoded), caption);
            return file;
        }
    }

    private DecodingOptions options(DecodingOptions defaults) {
        DecodingOptions.Builder b = defaults.toBuilder();
        boolean sampling = temperature != null || topK != null || topP != null || seed != null;
        if (sampling && (beam != null || nBest != null)) {
            throw usage("--beam/--nbest and sampling options (--temperature, --top-k, --top-p, --seed) exclude each other");
        }
        if (beam != null) {
            b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(beam);
        }
        if (nBest != null) {
            b.optNBest(nBest);
            if (beam == null) {
                b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(Math.max(nBest, 1));
            }
        } else {
            b.optNBest(1);
        }
        if (maxLength != null) {
            b.optMaxLength(maxLength);
        }
        if (sampling) {
            b.optStrategy(DecodingOptions.Strategy.SAMPLE);
            if (temperature != null) {
                b.optTemperature(temperature);
            }
            if (topK != null) {
                b.optTopK(topK);
            }
            if (topP != null) {
                b.optTopP(topP);
            }
            if (seed != null) {
                b.optSeed(seed);
            }
        }
        if (attentionMaps != null) {
            b.optAttention(true);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private void print(PrintWriter out, Path image, Caption c, boolean alternatives, Path attentionMap) {
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("image", image.toString());
            o.addProperty("caption", c.text());
            o.addProperty("score", c.logProb());
            JsonArray tokens = new JsonArray();
            c.tokens().forEach(tokens::add);
            o.add("tokens", tokens);
            if (alternatives) {
                JsonArray alts = new JsonArray();
                for (Caption a : c.alternatives()) {
                    JsonObject ao = new JsonObject();
                    ao.addProperty("caption", a.text());
                    ao.addProperty("score", a.logProb());
                    alts.add(ao);
                }
                o.add("alternatives", alts);
            }
            if (attentionMap != null) {
                o.addProperty("attention_map", attentionMap.toString());
            }
            out.println(new Gson().toJson(o));
        } else {
            out.println(image + "\t" + c.text());
            if (alternatives) {
                for (Caption a : c.alternatives()) {
                    out.println(String.format(Locale.ROOT, "\t%s\t(%.4f)", a.text(), a.logProb()));
                }
            }
        }
    }
}
