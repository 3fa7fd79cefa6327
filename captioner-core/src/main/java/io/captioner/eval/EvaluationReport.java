package io.captioner.eval;

import io.captioner.io.AtomicFiles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Markdown report of an evaluation: the metric table with each metric's scale, the corpus BLEU
 * counts, and a sample of images showing the hypothesis beside its references and the image's
 * own scores. Build with {@link #builder()}; immutable and thread-safe once built.
 *
 * <p>The sample is deterministic: images sorted by id, taken at evenly spaced positions, so two
 * systems evaluated on the same split show the same images.
 */
public final class EvaluationReport {

    /** The default number of sample images. */
    public static final int DEFAULT_SAMPLE_SIZE = 10;

    private final EvaluationResult result;
    private final Map<String, String> hypotheses;
    private final Map<String, List<String>> references;
    private final String title;
    private final String description;
    private final int sampleSize;
    private final String imageBase;

    private EvaluationReport(Builder b) {
        this.result = b.result;
        this.hypotheses = b.hypotheses;
        this.references = b.references;
        this.title = b.title;
        this.description = b.description;
        this.sampleSize = b.sampleSize;
        this.imageBase = b.imageBase;
    }

    /**
     * Starts a report; {@code setResult}, {@code setHypotheses} and {@code setReferences} are
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Renders the report.
     *
     * @return the Markdown text
     */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(escape(title)).append("\n\n");
        if (description != null) {
            md.append(escape(description)).append("\n\n");
        }
        md.append("Scores computed as coco-caption (pycocoevalcap) computes them, on ")
                .append(result.images()).append(" images. BLEU-1..4 and ROUGE-L are on a 0–1 scale "
                        + "(not percentages); CIDEr-D is on coco-caption's printed scale (× 10), where 1.0 is "
                        + "not a maximum. Corpus BLEU pools n-gram counts over all images; ROUGE-L and CIDEr-D "
                        + "are means of per-image scores. Captions were lowercased and stripped of punctuation "
                        + "before scoring.\n\n");
        md.append("| Metric | Score | Scale |\n|---|---:|---|\n");
        row(md, "BLEU-1", result.bleu1(), "0–1");
        row(md, "BLEU-2", result.bleu2(), "0–1");
        row(md, "BLEU-3", result.bleu3(), "0–1");
        row(md, "BLEU-4", result.bleu4(), "0–1");
        row(md, "ROUGE-L", result.rougeL(), "0–1 (β = 1.2)");
        row(md, "CIDEr-D", result.cider(), "× 10 (coco-caption; σ = 6)");
        BleuCounts c = result.bleuCounts();
        md.append("\nBLEU counts: hypothesis length ").append(c.testlen())
                .append(", effective reference length ").append(c.reflen())
                .append(", n-grams (1..4) ").append(java.util.Arrays.toString(c.guess()))
                .append(", clipped matches ").append(java.util.Arrays.toString(c.correct())).append(".\n");

        List<String> sample = sample();
        if (!sample.isEmpty()) {
            md.append("\n## Sample of ").append(sample.size()).append(" of ").append(result.images())
                    .append(" images\n");
            for (String id : sample) {
                md.append("\n### ").append(escape(id)).append("\n\n");
                if (imageBase != null) {
                    md.append("![").append(escape(id)).append("](").append(link(id)).append(")\n\n");
                }
                md.append("**Hypothesis:** ").append(escape(hypotheses.get(id))).append("\n\n");
                ImageScores s = result.perImage().get(id);
                md.append(String.format(Locale.ROOT, "BLEU-4 %.4f · ROUGE-L %.4f · CIDEr-D %.4f%n%n",
                        s.bleu4(), s.rougeL(), s.cider()));
                md.append("**References:**\n\n");
                int i = 1;
                for (String ref : references.getOrDefault(id, List.of())) {
                    md.append(i++).append(". ").append(escape(ref)).append('\n');
                }
            }
        }
        return md.toString();
    }

    /**
     * Writes the report atomically (a temporary file in the same directory is moved over the
     * target).
     *
     * @param file the Markdown file to create or replace
     * @throws io.captioner.CaptionerException if the file cannot be written
     */
    public void write(Path file) {
        String text = toMarkdown();
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Returns the image ids the report shows: images sorted by id, at evenly spaced positions.
     *
     * @return at most the sample size ids
     */
    List<String> sample() {
        List<String> ids = new ArrayList<>(result.perImage().keySet());
        ids.sort(null);
        int k = Math.min(sampleSize, ids.size());
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(ids.get((int) ((long) i * ids.size() / k)));
        }
        return out;
    }

    private String link(String id) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        return imageBase.endsWith("/") ? imageBase + encoded : imageBase + "/" + encoded;
    }

    private static void row(StringBuilder md, String name, double value, String scale) {
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %s |%n", name, value, scale));
    }

    /** Escapes the characters Markdown would interpret, so captions show verbatim. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if ("\\`*_[]<>|#!".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch == '\n' || ch == '\r' ? ' ' : ch);
        }
        return sb.toString();
    }

    /** Builds an {@link EvaluationReport}; setters may be called in any order. */
    public static final class Builder {
        private EvaluationResult result;
        private Map<String, String> hypotheses;
        private Map<String, List<String>> references;
        private String title = "Caption evaluation";
        private String description;
        private int sampleSize = DEFAULT_SAMPLE_SIZE;
        private String imageBase;

        private Builder() {}

        /**
         * Sets the scores to report (required).
         *
         * @param result the evaluation result
         * @return this builder
         */
        public Builder setResult(EvaluationResult result) {
            this.result = Objects.requireNonNull(result, "result");
            return this;
        }

        /**
         * Sets the captions that were scored, as written (required).
         *
         * @param hypotheses image id to hypothesis
         * @return this builder
         */
        public Builder setHypotheses(Map<String, String> hypotheses) {
            this.hypotheses = Map.copyOf(Objects.requireNonNull(hypotheses, "hypotheses"));
            return this;
        }

        /**
         * Sets the reference captions, as written (required); may cover more images.
         *
         * @param references image id to its references
         * @return this builder
         */
        public Builder setReferences(Map<String, List<String>> references) {
            this.references = Objects.requireNonNull(references, "references");
            return this;
        }

        /**
         * Sets the heading (default "Caption evaluation").
         *
         * @param title the report's title
         * @return this builder
         */
        public Builder optTitle(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * Sets a line saying what was evaluated, e.g. the results file and split (default none).
         *
         * @param description free text shown under the title
         * @return this builder
         */
        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        /**
         * Sets how many images the sample shows (default 10; 0 omits the sample).
         *
         * @param sampleSize the number of images, at least 0
         * @return this builder
         */
        public Builder optSampleSize(int sampleSize) {
            this.sampleSize = sampleSize;
            return this;
        }

        /**
         * Links each sample image from this base (a relative path or URL; the image id is
         * appended, URL-encoded). Default: no image links.
         *
         * @param imageBase the directory or URL holding the images
         * @return this builder
         */
        public Builder optImageBase(String imageBase) {
            this.imageBase = imageBase;
            return this;
        }

        /**
         * Validates and builds the report.
         *
         * @return the report
         * @throws IllegalArgumentException if a required value is missing, the sample size is
         *     negative, or an evaluated image has no hypothesis
         */
        public EvaluationReport build() {
            if (result == null || hypotheses == null || references == null) {
                throw new IllegalArgumentException("setResult, setHypotheses and setReferences are required");
            }
            if (sampleSize < 0) {
                throw new IllegalArgumentException("sampleSize must be >= 0, found " + sampleSize);
            }
            for (String id : result.perImage().keySet()) {
                if (!hypotheses.containsKey(id)) {
                    throw new IllegalArgumentException("hypotheses lack evaluated image '" + id + "'");
                }
            }
            return new EvaluationReport(this);
        }
    }
}
