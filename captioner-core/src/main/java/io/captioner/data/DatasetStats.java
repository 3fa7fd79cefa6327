package io.captioner.data;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.captioner.text.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Size and caption-length statistics of a {@link CaptionDataset}, per split and in total, as
 * printed by the {@code vocab} command.
 *
 * <p>Caption length is the number of tokens {@link Tokenizer#standard()} yields (lowercase,
 * punctuation removed), without start and end markers. Percentiles use the nearest-rank method:
 * the p-th percentile of n sorted lengths is the value at 1-based rank ceil(p/100 * n); an empty
 * group has all lengths 0. Immutable.
 *
 * @param splits the figures of every {@link Split}, in enum order (empty splits included)
 * @param total the figures of the whole dataset
 */
public record DatasetStats(Map<Split, Counts> splits, Counts total) {

    /**
     * The figures of one group of images.
     *
     * @param images number of images
     * @param captions number of reference captions
     * @param p50Tokens median caption length in tokens
     * @param p95Tokens 95th-percentile caption length in tokens
     * @param maxTokens longest caption in tokens
     * @param meanTokens mean caption length in tokens
     */
    public record Counts(int images, int captions, int p50Tokens, int p95Tokens, int maxTokens,
            double meanTokens) {}

    /**
     * Copies the map.
     *
     * @param splits see the record description
     * @param total see the record description
     * @throws IllegalArgumentException if an argument is null
     */
    public DatasetStats {
        if (splits == null || total == null) {
            throw new IllegalArgumentException("splits and total must not be null");
        }
        splits = Collections.unmodifiableMap(new EnumMap<>(splits));
    }

    /**
     * Computes the statistics of a dataset; tokenizes every caption once.
     *
     * @param dataset the dataset
     * @return the statistics
     */
    public static DatasetStats of(CaptionDataset dataset) {
        Tokenizer tokenizer = Tokenizer.standard();
        Map<Split, List<Integer>> lengths = new EnumMap<>(Split.class);
        Map<Split, Integer> images = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            lengths.put(s, new ArrayList<>());
            images.put(s, 0);
        }
        List<Integer> all = new ArrayList<>();
        for (ImageCaptions image : dataset.images()) {
            images.merge(image.split(), 1, Integer::sum);
            for (String caption : image.captions()) {
                int n = tokenizer.tokenize(caption).size();
                lengths.get(image.split()).add(n);
                all.add(n);
            }
        }
        Map<Split, Counts> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, counts(images.get(s), lengths.get(s)));
        }
        return new DatasetStats(splits, counts(dataset.size(), all));
    }

    private static Counts counts(int images, List<Integer> lengths) {
        List<Integer> sorted = new ArrayList<>(lengths);
        Collections.sort(sorted);
        long sum = 0;
        for (int n : sorted) {
            sum += n;
        }
        double mean = sorted.isEmpty() ? 0.0 : (double) sum / sorted.size();
        return new Counts(images, sorted.size(), percentile(sorted, 50), percentile(sorted, 95),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), mean);
    }

    /**
     * Returns the nearest-rank percentile of sorted values.
     *
     * @param sorted values in ascending order
     * @param p the percentile, in (0, 100]
     * @return the value at rank ceil(p/100 * n), or 0 for an empty list
     */
    static int percentile(List<Integer> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    /**
     * Renders the statistics as pretty-printed JSON:
     * {@code {"total": {...}, "splits": {"train": {...}, "dev": ..., "test": ..., "none": ...}}}
     * with the fields of {@link Counts}.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.add("total", json(total));
        JsonObject bySplit = new JsonObject();
        for (Map.Entry<Split, Counts> e : splits.entrySet()) {
            bySplit.add(e.getKey().label(), json(e.getValue()));
        }
        root.add("splits", bySplit);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    private static JsonObject json(Counts c) {
        JsonObject o = new JsonObject();
        o.addProperty("images", c.images());
        o.addProperty("captions", c.captions());
        o.addProperty("p50Tokens", c.p50Tokens());
        o.addProperty("p95Tokens", c.p95Tokens());
        o.addProperty("maxTokens", c.maxTokens());
        o.addProperty("meanTokens", Math.round(c.meanTokens() * 100) / 100.0);
        return o;
    }

    /**
     * Renders the statistics as a fixed-width text table, one row per split and a total row.
     *
     * @return the table, lines separated by {@code \n}
     */
    public String toTable() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %7s %9s %5s %5s %5s %6s%n",
                "split", "images", "captions", "p50", "p95", "max", "mean"));
        for (Map.Entry<Split, Counts> e : splits.entrySet()) {
            row(sb, e.getKey().label(), e.getValue());
        }
        row(sb, "total", total);
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    private static void row(StringBuilder sb, String name, Counts c) {
        sb.append(String.format(Locale.ROOT, "%-6s %7d %9d %5d %5d %5d %6.2f%n", name, c.images(),
                c.captions(), c.p50Tokens(), c.p95Tokens(), c.maxTokens(), c.meanTokens()));
    }
}
