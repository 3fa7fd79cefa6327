package io.captioner.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.CaptionDataset;
import io.captioner.data.DatasetStats;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.Split;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code captioner vocab}: reads a dataset in any Flickr8k layout and prints, as JSON, its images
 * and captions per split, caption lengths, and the size of the vocabulary built from one split at
 * a minimum count; optionally saves that vocabulary.
 */
@Command(
        name = "vocab",
        mixinStandardHelpOptions = true,
        description = {
            "Prints dataset statistics and the vocabulary size as JSON.",
            "Reads any Flickr8k layout: Flickr8k.token.txt + split files, Kaggle captions.txt, "
                    + "or Karpathy's dataset_flickr8k.json."
        })
final class VocabCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Directory holding the dataset's annotation files.")
    private Path dataset;

    @Option(names = "--min-count", defaultValue = "5", paramLabel = "N",
            description = "Fewest occurrences a word needs to enter the vocabulary (default: ${DEFAULT-VALUE}).")
    private int minCount;

    @Option(names = "--max-size", defaultValue = "0", paramLabel = "N",
            description = "Most ids in the vocabulary, specials included; 0 for no limit (default).")
    private int maxSize;

    @Option(names = "--split", defaultValue = "train", paramLabel = "SPLIT",
            description = "Split whose captions build the vocabulary: train, dev or test (default: ${DEFAULT-VALUE}).")
    private String split;

    @Option(names = "--out", paramLabel = "FILE", description = "Also save the vocabulary to FILE.")
    private Path out;

    @Override
    public Integer call() {
        Split source = CliArgs.split(spec, "--split", split);
        CliArgs.require(spec, minCount >= 1, "--min-count must be at least 1, found " + minCount);
        CliArgs.require(spec, maxSize == 0 || maxSize > Vocabulary.SPECIALS.size(),
                "--max-size must be 0 (no limit) or above " + Vocabulary.SPECIALS.size() + ", found " + maxSize);

        CaptionDataset data = Flickr8kReader.load(dataset);
        Tokenizer tokenizer = Tokenizer.standard();
        List<List<String>> tokenized = data.captions(source).stream().map(tokenizer::tokenize).toList();
        Vocabulary.Builder builder = Vocabulary.builder().optMinCount(minCount);
        if (maxSize > 0) {
            builder.optMaxSize(maxSize);
        }
        Vocabulary vocabulary = builder.build(tokenized);
        if (out != null) {
            vocabulary.save(out);
        }

        JsonObject json = new JsonObject();
        json.addProperty("dataset", dataset.toString());
        json.addProperty("layout", data.layout().name().toLowerCase(java.util.Locale.ROOT));
        JsonObject stats = JsonParser.parseString(DatasetStats.of(data).toJson()).getAsJsonObject();
        json.add("splits", stats.get("splits"));
        json.add("total", stats.get("total"));
        JsonObject vocab = new JsonObject();
        vocab.addProperty("split", source.label());
        vocab.addProperty("min_count", minCount);
        vocab.addProperty("max_size", maxSize);
        vocab.addProperty("size", vocabulary.size());
        vocab.addProperty("words", vocabulary.size() - Vocabulary.SPECIALS.size());
        vocab.addProperty("specials", Vocabulary.SPECIALS.size());
        if (out != null) {
            vocab.addProperty("file", out.toString());
        }
        json.add("vocabulary", vocab);
        JsonArray warnings = new JsonArray();
        data.report().warnings().forEach(warnings::add);
        json.add("warnings", warnings);
        spec.commandLine().getOut().println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .create().toJson(json));
        return CaptionerCli.EXIT_OK;
    }
}
