package io.captioner.examples.cli;

import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.eval.CocoResults;
import io.captioner.models.internal.ConsoleProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code captioner evaluate}: captions every image of a dataset split with a saved model and scores
 * the captions exactly as {@code score} does (same code path), printing JSON with {@code bleu1}..
 * {@code bleu4}, {@code rouge_l}, {@code cider} and {@code images}. Progress goes to stderr.
 * Exit codes: 0 scored, 1 a missing/corrupt image, dataset or model (the message names it), 2 bad
 * arguments.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Captions a dataset split with a saved model and scores it like 'score' (BLEU-1..4, ROUGE-L, CIDEr-D).",
            "Prints JSON: bleu1..bleu4 and rouge_l on a 0-1 scale, cider x10 (coco-caption's scale), images."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Model artifact directory or .zip.")
    private Path model;

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Dataset directory in any Flickr8k layout, with its images.")
    private Path dataset;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            converter = ScoreCommand.SplitConverter.class,
            description = "Split to caption and score: train, dev (val) or test (default: ${DEFAULT-VALUE}).")
    private Split split;

    @Option(names = "--precision", paramLabel = "P", converter = CliArgs.PrecisionConverter.class,
            description = "Decoder weight precision: fp32, bf16 or int8 (default: the model's, see convert).")
    private io.captioner.models.decoder.Precision precision;

    @Option(names = "--beam", paramLabel = "K", description = "Beam search of width K (default: the model's options).")
    private Integer beam;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "B",
            description = "Images captioned per batch (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @CommandLine.Mixin private ReportOptions reportOptions;

    @Option(names = "--results-out", paramLabel = "R.json",
            description = "Also write the captions in COCO results format (input of 'score').")
    private Path resultsOut;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be >= 1, found " + batchSize);
        }
        if (beam != null && beam < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--beam must be >= 1, found " + beam);
        }
        reportOptions.validate(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaptionDataset data = Flickr8kReader.load(dataset);
        List<ImageCaptions> images = data.split(split);
        if (images.isEmpty()) {
            throw new CaptionerException(dataset + ": the " + split.label() + " split has no images");
        }
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> hypotheses = new LinkedHashMap<>();
        try (Captioner captioner = CliArgs.loadModel(model, precision)) {
            DecodingOptions options = captioner.defaultOptions();
            if (beam != null) {
                options = options.toBuilder().optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(beam)
                        .optNBest(1).build();
            }
            try (ConsoleProgress bar = ConsoleProgress.start(ProgressOutput.of(err), "caption " + split.label(),
                    images.size())) {
                for (int from = 0; from < images.size(); from += batchSize) {
                    List<ImageCaptions> chunk = images.subList(from, Math.min(images.size(), from + batchSize));
                    List<Path> files = new ArrayList<>();
                    for (ImageCaptions ic : chunk) {
                        files.add(data.imagePath(ic.imageId()));
                    }
                    List<Caption> captions = captioner.captionFiles(files, options);
                    for (int i = 0; i < chunk.size(); i++) {
                        references.put(chunk.get(i).imageId(), chunk.get(i).captions());
                        hypotheses.put(chunk.get(i).imageId(), captions.get(i).text());
                    }
                    bar.stepTo(hypotheses.size(), "");
                }
            }
        }
        if (resultsOut != null) {
            CocoResults.write(resultsOut, hypotheses);
            err.println("captions written to " + resultsOut);
        }
        ScoreCommand.scoreAndReport(hypotheses, references, data, reportOptions.report(), reportOptions.samples(),
                "Caption evaluation: " + model.getFileName(),
                "Model " + model + " captioned the " + split.label() + " split of " + dataset + ".", out, err);
        return CaptionerCli.EXIT_OK;
    }
}
