package io.captioner.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.EvaluationResult;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.decoder.Precision;
import io.captioner.models.decoder.StepKernel;
import io.captioner.models.encoder.EncoderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The quality cost of reduced-precision decoding (issue 20): captions a dataset split with one model
 * at float32 and at each reduced precision, with the model's saved decoding options (the
 * quickstart's: beam 3), and reports per precision the share of captions identical to float32's and
 * BLEU-4 against the references, with its difference to float32's. Targets: at least 95% identical
 * captions and |ΔBLEU-4| at most 0.005.
 *
 * <p>Run after the quickstart ({@code java -jar examples/target/captioner.jar quickstart} writes
 * {@code quickstart-out/model} and {@code quickstart-out/dataset}): {@code java --add-modules
 * jdk.incubator.vector -Dai.djl.offline=true -cp captioner-benchmarks/target/benchmarks.jar
 * io.captioner.benchmarks.PrecisionQuality} ({@code --help} lists the options). Writes {@code
 * precision-quality.json} and {@code .md} to {@code --out}. Exit codes: 0 written, 1 a model or
 * dataset problem, 2 bad arguments.
 */
public final class PrecisionQuality {

    private PrecisionQuality() {}

    /**
     * One precision's captions and scores.
     *
     * @param precision the decoder's precision
     * @param kernel the few-row kernel that ran
     * @param hypotheses image id → caption
     * @param scores against the split's references
     * @param seconds wall-clock seconds captioning the split (encoder included)
     */
    record Run(Precision precision, String kernel, Map<String, String> hypotheses, EvaluationResult scores,
            double seconds) {}

    /**
     * Captions a split at each precision.
     *
     * @param model the artifact
     * @param dataset the dataset directory (any Flickr8k layout)
     * @param split the split to caption
     * @param precisions the precisions, float32 first
     * @param batch images per captioning call
     * @param log progress lines
     * @return one run per precision, in order
     */
    static List<Run> run(Path model, Path dataset, Split split, List<Precision> precisions, int batch,
            java.util.function.Consumer<String> log) {
        CaptionDataset data = Flickr8kReader.load(dataset);
        List<ImageCaptions> images = data.split(split);
        if (images.isEmpty()) {
            throw new io.captioner.CaptionerException(dataset + ": the " + split.label() + " split has no images");
        }
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (ImageCaptions ic : images) {
            references.put(ic.imageId(), ic.captions());
        }
        List<Run> runs = new ArrayList<>();
        for (Precision p : precisions) {
            try (DjlCaptioner captioner = ModelArtifact.load(model, EncoderOptions.defaults(), p)) {
                DecodingOptions options = captioner.defaultOptions();
                Map<String, String> hypotheses = new LinkedHashMap<>();
                long t0 = System.nanoTime();
                for (int from = 0; from < images.size(); from += batch) {
                    List<ImageCaptions> chunk = images.subList(from, Math.min(images.size(), from + batch));
                    List<Path> files = new ArrayList<>();
                    for (ImageCaptions ic : chunk) {
                        files.add(data.imagePath(ic.imageId()));
                    }
                    List<Caption> captions = captioner.captionFiles(files, options);
                    for (int i = 0; i < chunk.size(); i++) {
                        hypotheses.put(chunk.get(i).imageId(), captions.get(i).text());
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                EvaluationResult scores = CaptionEvaluator.evaluate(hypotheses, references);
                String kernel = StepKernel.AUTO.resolve(p).id();
                log.accept(String.format(Locale.ROOT, "%s (%s kernel): BLEU-4 %.4f over %d images in %.1f s", p,
                        kernel, scores.bleu4(), hypotheses.size(), seconds));
                runs.add(new Run(p, kernel, hypotheses, scores, seconds));
            }
        }
        return runs;
    }

    /**
     * Returns the share of images whose caption equals the reference run's.
     *
     * @param run the run compared
     * @param reference the float32 run
     * @return the share in [0, 1]
     */
    static double identicalShare(Run run, Run reference) {
        int same = 0;
        for (Map.Entry<String, String> e : reference.hypotheses().entrySet()) {
            if (e.getValue().equals(run.hypotheses().get(e.getKey()))) {
                same++;
            }
        }
        return (double) same / reference.hypotheses().size();
    }

    /**
     * Turns the runs into the results document: machine, model, and per precision the identical
     * share, BLEU-4, its difference to float32 and whether the targets are met.
     *
     * @param runs the runs, float32 first
     * @param model the artifact
     * @param dataset the dataset directory
     * @param split the split
     * @return the JSON document
     */
    static JsonObject json(List<Run> runs, Path model, Path dataset, Split split) {
        JsonObject root = new JsonObject();
        root.addProperty("created", Instant.now().toString());
        JsonObject machine = new JsonObject();
        machine.addProperty("cpu", Machine.cpuModel());
        machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
        machine.add("cpuFlags", Machine.relevantCpuFlags());
        machine.addProperty("vectorApi", StepKernel.vectorAvailable());
        machine.addProperty("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        root.add("machine", machine);
        root.addProperty("model", model.toString());
        root.addProperty("dataset", dataset.toString());
        root.addProperty("split", split.label());
        Run reference = runs.get(0);
        JsonArray rows = new JsonArray();
        for (Run r : runs) {
            JsonObject o = new JsonObject();
            o.addProperty("precision", r.precision().id());
            o.addProperty("kernel", r.kernel());
            o.addProperty("images", r.hypotheses().size());
            o.addProperty("bleu4", r.scores().bleu4());
            o.addProperty("cider", r.scores().cider());
            o.addProperty("seconds", r.seconds());
            if (r != reference) {
                double identical = identicalShare(r, reference);
                double delta = r.scores().bleu4() - reference.scores().bleu4();
                o.addProperty("identicalToFp32", identical);
                o.addProperty("bleu4MinusFp32", delta);
                o.addProperty("identicalTargetMet", identical >= 0.95);
                o.addProperty("bleu4TargetMet", Math.abs(delta) <= 0.005);
            }
            rows.add(o);
        }
        root.add("precisions", rows);
        return root;
    }

    /**
     * The Markdown summary of {@link #json}.
     *
     * @param doc the results document
     * @return the Markdown text
     */
    static String markdown(JsonObject doc) {
        StringBuilder md = new StringBuilder("# Reduced-precision decoding: quality cost\n\n");
        md.append(String.format(Locale.ROOT, "Model %s, %s split of %s; %s, %d cores. Targets: >= 95%% of captions"
                + " identical to fp32's, |ΔBLEU-4| <= 0.005.%n%n", doc.get("model").getAsString(),
                doc.get("split").getAsString(), doc.get("dataset").getAsString(),
                doc.getAsJsonObject("machine").get("cpu").getAsString(),
                doc.getAsJsonObject("machine").get("cores").getAsInt()));
        md.append("| precision | kernel | BLEU-4 | ΔBLEU-4 vs fp32 | identical to fp32 | met |\n|---|---|---:|---:|---:|---|\n");
        for (var e : doc.getAsJsonArray("precisions")) {
            JsonObject o = e.getAsJsonObject();
            boolean ref = !o.has("identicalToFp32");
            md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %s | %s |%n", o.get("precision").getAsString(),
                    o.get("kernel").getAsString(), o.get("bleu4").getAsDouble(),
                    ref ? "–" : String.format(Locale.ROOT, "%+.4f", o.get("bleu4MinusFp32").getAsDouble()),
                    ref ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * o.get("identicalToFp32").getAsDouble()),
                    ref ? "–" : (o.get("identicalTargetMet").getAsBoolean() && o.get("bleu4TargetMet").getAsBoolean()
                            ? "yes" : "**no**")));
        }
        return md.toString();
    }

    /**
     * Runs the comparison; {@code --help} lists the options.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Cli()).execute(args));
    }

    /** The command line, parsed by picocli. */
    @Command(name = "PrecisionQuality", sortOptions = false, usageHelpAutoWidth = true,
            description = "Captions a split with one model at fp32 and at reduced precisions and compares the captions"
                    + " and BLEU-4.")
    static final class Cli implements Callable<Integer> {

        @Option(names = "--model", defaultValue = "quickstart-out/model", paramLabel = "M",
                description = "Model artifact (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--dataset", defaultValue = "quickstart-out/dataset", paramLabel = "DIR",
                description = "Dataset in any Flickr8k layout (default: ${DEFAULT-VALUE}).")
        Path dataset;

        @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
                description = "train, dev or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--precisions", split = ",", defaultValue = "fp32,bf16,int8", paramLabel = "P",
                description = "Precisions to compare, fp32 first (default: ${DEFAULT-VALUE}).")
        List<String> precisions;

        @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
                description = "Images per captioning call (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--out", defaultValue = "captioner-benchmarks/results", paramLabel = "DIR",
                description = "Directory for precision-quality.json and .md (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public Integer call() throws IOException {
            CommandLine cl = new CommandLine(this);
            List<Precision> ps = new ArrayList<>();
            for (String p : precisions) {
                try {
                    ps.add(Precision.parse(p));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "--precisions: " + e.getMessage());
                }
            }
            if (ps.isEmpty() || ps.get(0) != Precision.FP32) {
                throw new CommandLine.ParameterException(cl, "--precisions must start with fp32, found " + precisions);
            }
            if (batch < 1) {
                throw new CommandLine.ParameterException(cl, "--batch must be at least 1, found " + batch);
            }
            Split s;
            try {
                s = Split.parse(split);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--split: " + e.getMessage());
            }
            List<Run> runs = run(model, dataset, s, ps, batch, line -> System.err.println(line));
            JsonObject doc = json(runs, model, dataset, s);
            Files.createDirectories(out);
            Suite.write(out.resolve("precision-quality.json"),
                    new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc) + "\n");
            String md = markdown(doc);
            Suite.write(out.resolve("precision-quality.md"), md);
            System.out.print(md);
            return 0;
        }
    }
}
