package io.captioner.examples.cli;

import com.google.gson.GsonBuilder;
import io.captioner.CaptionerException;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.CocoResults;
import io.captioner.eval.EvaluationReport;
import io.captioner.eval.EvaluationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code captioner score}: scores any system's captions, given in COCO results format, against a
 * Flickr8k-style dataset's reference captions with BLEU-1..4, ROUGE-L and CIDEr-D as coco-caption
 * computes them, and prints the corpus scores as one JSON object.
 *
 * <p>Output keys: {@code bleu1}..{@code bleu4}, {@code rouge_l} (0–1), {@code cider} (× 10, as
 * coco-caption prints it), {@code images}. Every image in the results must belong to the chosen
 * split; images of the split without a result are not scored (a warning on stderr says how many).
 * Exit codes: 0 scored, 1 bad results or dataset files (the message names file, entry and field),
 * 2 bad arguments.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores captions in COCO results format ([{\"image_id\": \"<file name>\", \"caption\": \"...\"}])",
            "against a dataset's references with BLEU-1..4, ROUGE-L and CIDEr-D as coco-caption computes them.",
            "Prints JSON: bleu1..bleu4 and rouge_l on a 0-1 scale, cider x10 (coco-caption's scale), images."
        })
public final class ScoreCommand implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "R.json",
            description = "Captions to score, COCO results format.")
    private Path results;

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Dataset directory in any Flickr8k layout (original, Kaggle captions.txt, Karpathy JSON).")
    private Path dataset;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", converter = SplitConverter.class,
            description = "Split whose references are used: train, dev (val) or test (default: ${DEFAULT-VALUE}).")
    private Split split;

    @CommandLine.Mixin private ReportOptions reportOptions;

    @Override
    public Integer call() {
        reportOptions.validate(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        CaptionDataset data = Flickr8kReader.load(dataset);
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (ImageCaptions image : data.split(split)) {
            references.put(image.imageId(), image.captions());
        }
        if (references.isEmpty()) {
            throw new CaptionerException(dataset + ": the " + split.label() + " split has no images");
        }
        Map<String, String> hypotheses = CocoResults.read(results);
        for (String id : hypotheses.keySet()) {
            if (!references.containsKey(id)) {
                String where = data.find(id).map(i -> "it belongs to the " + i.split().label() + " split")
                        .orElse("the dataset has no such image");
                throw new CaptionerException(results + ": image_id '" + id + "' is not in the "
                        + split.label() + " split of " + dataset + " (" + where + ")");
            }
        }
        if (hypotheses.size() < references.size()) {
            err.printf("warning: %s covers %d of the %d %s images; scores are over those %d only%n",
                    results, hypotheses.size(), references.size(), split.label(), hypotheses.size());
        }

        scoreAndReport(hypotheses, references, data, reportOptions.report(), reportOptions.samples(),
                "Caption evaluation: " + results.getFileName(),
                "Results " + results + " scored against the " + split.label() + " split of " + dataset + ".",
                out, err);
        return CaptionerCli.EXIT_OK;
    }

    /**
     * Scores hypotheses against references, prints the corpus scores as JSON and optionally writes
     * the Markdown report; shared by {@code score} and {@code evaluate}.
     *
     * @param hypotheses image id to caption
     * @param references image id to its reference captions
     * @param data the dataset (for the report's image links)
     * @param report the report file, or null for none
     * @param reportSamples images shown in the report
     * @param title the report's title
     * @param description the report's description
     * @param out where the JSON goes
     * @param err where the report notice goes
     * @return the evaluation
     */
    static EvaluationResult scoreAndReport(Map<String, String> hypotheses, Map<String, List<String>> references,
            CaptionDataset data, Path report, int reportSamples, String title, String description,
            PrintWriter out, PrintWriter err) {
        EvaluationResult result = CaptionEvaluator.evaluate(hypotheses, references);
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(result.summary()));

        if (report != null) {
            EvaluationReport.builder()
                    .setResult(result)
                    .setHypotheses(hypotheses)
                    .setReferences(references)
                    .optTitle(title)
                    .optDescription(description)
                    .optSampleSize(reportSamples)
                    .optImageBase(imageLink(report, data.imageDir()))
                    .build()
                    .write(report);
            err.println("report written to " + report);
        }
        return result;
    }

    /** A link to the image directory relative to the report, or an absolute URI if none exists. */
    private static String imageLink(Path reportFile, Path imageDir) {
        Path from = reportFile.toAbsolutePath().normalize().getParent();
        Path to = imageDir.toAbsolutePath().normalize();
        try {
            String rel = from.relativize(to).toString().replace('\\', '/');
            return rel.isEmpty() ? "." : rel;
        } catch (IllegalArgumentException e) {
            return to.toUri().toString();
        }
    }

    /** Parses {@code --split} with {@link Split#parse(String)}, rejecting {@code none}. */
    static final class SplitConverter implements CommandLine.ITypeConverter<Split> {
        @Override
        public Split convert(String value) {
            Split s;
            try {
                s = Split.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (s == Split.NONE) {
                throw new CommandLine.TypeConversionException(
                        "split must be one of train, dev (or val), test; found '" + value + "'");
            }
            return s;
        }
    }
}
