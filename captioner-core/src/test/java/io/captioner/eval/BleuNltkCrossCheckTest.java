package io.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.testing.Python;
import io.captioner.text.Tokenizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks our BLEU against NLTK's {@code corpus_bleu} (Debian {@code python3-nltk}).
 *
 * <p>Both are fed the same tokens, so the remaining differences are the documented ones:
 * <ol>
 *   <li>coco-caption's constants: p_n = (correct + 1e-15) / (guess + 1e-9) and
 *       ratio = (testlen + 1e-15) / (reflen + 1e-9); NLTK uses exact fractions. The relative effect
 *       on BLEU-k is at most 1e-9 / min(guess_n) + 1e-15 / min(correct_n) + 1e-9 / testlen (about
 *       2e-13 on the 1000-image split, measured 1e-13); the test asserts that bound, never looser
 *       than 1e-9 relative.</li>
 *   <li>NLTK's modified precision has denominator max(1, guess_n) per sentence, so a hypothesis
 *       shorter than n adds 1 to NLTK's pooled denominator and 0 to ours.</li>
 *   <li>An order with no match: NLTK (no smoothing) takes its precision as the smallest double,
 *       making BLEU-k ~1e-77 (exactly 0 when no unigram matches); coco-caption's constants leave
 *       a small positive value.</li>
 * </ol>
 */
class BleuNltkCrossCheckTest {

    private static final double RELATIVE_TOLERANCE = 1e-9;

    @TempDir static Path tmp;

    private static Path script;

    @BeforeAll
    static void copyNltkScript() throws Exception {
        script = tmp.resolve("nltk_corpus_bleu.py");
        try (InputStream in = BleuNltkCrossCheckTest.class.getResourceAsStream("nltk_corpus_bleu.py")) {
            Files.copy(in, script);
        }
    }

    @BeforeEach
    void requireNltk() {
        Python.assumeModules("nltk");
    }

    @Test
    void matchesNltkCorpusBleuOnFlickr8kTestSplit() throws Exception {
        Path dir = flickr8kDir();
        assumeTrue(Files.isRegularFile(dir.resolve(Flickr8kReader.TOKEN_FILE)),
                "Flickr8k annotations not found in " + dir + " (set -Dcaptioner.flickr8k.dir)");

        // Caption #0 of each test image is the hypothesis, #1..#4 the references.
        Map<String, List<String>> hyps = new LinkedHashMap<>();
        Map<String, List<List<String>>> refs = new LinkedHashMap<>();
        Tokenizer tok = Tokenizer.standard();
        for (ImageCaptions image : Flickr8kReader.load(dir).split(Split.TEST)) {
            List<String> c = image.captions();
            assertThat(c).as("captions of test image %s", image.imageId()).hasSize(5);
            hyps.put(image.imageId(), tok.tokenize(c.get(0)));
            List<List<String>> r = new ArrayList<>();
            for (int n = 1; n <= 4; n++) {
                r.add(tok.tokenize(c.get(n)));
            }
            refs.put(image.imageId(), r);
        }
        assertThat(hyps).hasSize(1000);

        BleuResult ours = Bleu.score(hyps, refs);
        JsonObject nltk = runNltk(hyps, refs);
        BleuCounts c = ours.counts();
        long[] nltkDenominators = longs(nltk.getAsJsonArray("denominators"));
        double[] nltkBleu = doubles(nltk.getAsJsonArray("bleu"));
        System.out.printf("Flickr8k test split, caption #0 vs #1..#4, %d images, NLTK %s%n",
                hyps.size(), nltk.get("nltk").getAsString());
        System.out.printf("  ours %s%n  NLTK numerators %s, denominators %s, hyp_len %d, ref_len %d%n", c,
                nltk.getAsJsonArray("numerators"), nltk.getAsJsonArray("denominators"),
                nltk.get("hyp_len").getAsLong(), nltk.get("ref_len").getAsLong());

        // Same pooled statistics: clipped matches, lengths, closest reference lengths.
        assertThat(longs(nltk.getAsJsonArray("numerators"))).containsExactly(c.correct());
        assertThat(nltk.get("hyp_len").getAsLong()).isEqualTo(c.testlen());
        assertThat(nltk.get("ref_len").getAsLong()).isEqualTo(c.reflen());
        // NLTK's denominators are sums of max(1, guess_n) per image.
        long[] expectedDenominators = new long[4];
        for (String id : hyps.keySet()) {
            BleuCounts ci = Bleu.count(hyps.get(id), refs.get(id));
            for (int n = 0; n < 4; n++) {
                expectedDenominators[n] += Math.max(1, ci.guess()[n]);
            }
        }
        assertThat(nltkDenominators).containsExactly(expectedDenominators);

        // Scores: ours equals NLTK's arithmetic on NLTK's denominators up to the 1e-15/1e-9 constants,
        // whose effect is bounded from the counts (about 2e-13 relative here; RELATIVE_TOLERANCE caps it).
        double tolerance = Math.min(RELATIVE_TOLERANCE, constantsBound(nltkDenominators, c.correct(), c.testlen()));
        System.out.printf("  tolerance (relative) %.2e%n", tolerance);
        double[] oursOnNltkCounts = Bleu.scores(new BleuCounts(c.reflen(), c.testlen(), nltkDenominators, c.correct()));
        for (int k = 0; k < 4; k++) {
            System.out.printf("  BLEU-%d ours %.10f  NLTK %.10f  ours(NLTK denominators) %.10f  rel.diff %.2e%n",
                    k + 1, ours.scores().get(k), nltkBleu[k], oursOnNltkCounts[k],
                    Math.abs(oursOnNltkCounts[k] - nltkBleu[k]) / nltkBleu[k]);
            assertThat(nltkBleu[k]).isGreaterThan(0.01);
            assertThat(oursOnNltkCounts[k]).isCloseTo(nltkBleu[k], within(tolerance * nltkBleu[k]));
        }
        // Where no hypothesis is shorter than n (orders 1..k), the denominators agree and so do the raw scores.
        for (int k = 0; k < 4; k++) {
            boolean sameDenominators = true;
            for (int j = 0; j <= k; j++) {
                sameDenominators &= nltkDenominators[j] == c.guess()[j];
            }
            if (sameDenominators) {
                assertThat(ours.scores().get(k)).isCloseTo(nltkBleu[k], within(tolerance * nltkBleu[k]));
            }
        }
    }

    /**
     * Bounds the relative difference the constants make: ln(ours / exact) for BLEU-k is the mean
     * over n of ln(1 + 1e-15/correct_n) - ln(1 + 1e-9/guess_n), plus, under the brevity penalty,
     * about 1e-9/testlen; each term is at most the value below. 1e-14 covers rounding (NLTK sums
     * logs, we multiply).
     */
    private static double constantsBound(long[] guess, long[] correct, long testlen) {
        long minGuess = Long.MAX_VALUE;
        long minCorrect = Long.MAX_VALUE;
        for (int n = 0; n < 4; n++) {
            minGuess = Math.min(minGuess, guess[n]);
            minCorrect = Math.min(minCorrect, correct[n]);
        }
        return Bleu.SMALL / minGuess + Bleu.TINY / minCorrect + Bleu.SMALL / testlen + 1e-14;
    }

    @Test
    void knownDifferencesShowOnAConstructedCorpus() throws Exception {
        // Image A: "a dog" (2 words, shorter than 3 and 4) -> NLTK denominators for n = 3, 4 are 1, ours 0.
        // Image B: "one two three four" vs "one two three five": 4-grams match nothing anywhere.
        TestData.Corpus corpus = new TestData.Corpus()
                .add("A", "a dog", "a dog runs")
                .add("B", "one two three four", "one two three five");
        BleuResult ours = Bleu.score(corpus.hyps, corpus.refs);
        JsonObject nltk = runNltk(corpus.hyps, corpus.refs);
        // ours: guess [6, 4, 2, 1]; NLTK: [6, 4, 2 + 1, 1 + 1]
        assertThat(ours.counts().guess()).containsExactly(6, 4, 2, 1);
        assertThat(longs(nltk.getAsJsonArray("denominators"))).containsExactly(6, 4, 3, 2);
        assertThat(ours.counts().correct()).containsExactly(5, 3, 1, 0);
        double[] nltkBleu = doubles(nltk.getAsJsonArray("bleu"));
        // BLEU-4 with no 4-gram match: coco-caption keeps (1e-15 / 1)^(1/4) * ... ~ 1e-4, NLTK ~ 0.
        assertThat(ours.bleu(4)).isBetween(1e-5, 1e-3);
        assertThat(nltkBleu[3]).isLessThan(1e-60);
        // BLEU-3: p3 = 1/2 for us, 1/3 for NLTK (its max(1, .) denominator for image A)
        double bp = Math.exp(1 - 7.0 / 6); // lengths: hyp 6, closest refs 3 + 4 = 7
        assertThat(nltkBleu[2]).isCloseTo(Math.cbrt(5.0 / 6 * 3.0 / 4 * 1.0 / 3) * bp, within(1e-12));
        assertThat(ours.bleu(3)).isCloseTo(Math.cbrt(5.0 / 6 * 3.0 / 4 * 1.0 / 2) * bp, within(1e-9));
        // BLEU-1 and BLEU-2 have no such difference
        assertThat(ours.bleu(1)).isCloseTo(nltkBleu[0], within(1e-9));
        assertThat(ours.bleu(2)).isCloseTo(nltkBleu[1], within(1e-9));
    }

    private static JsonObject runNltk(Map<String, List<String>> hyps, Map<String, List<List<String>>> refs)
            throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (String id : hyps.keySet()) {
            tsv.append(String.join(" ", hyps.get(id)));
            for (List<String> r : refs.get(id)) {
                tsv.append('\t').append(String.join(" ", r));
            }
            tsv.append('\n');
        }
        Path input = Files.createTempFile(tmp, "bleu-input", ".tsv");
        Files.writeString(input, tsv, StandardCharsets.UTF_8);
        Path err = Files.createTempFile(tmp, "nltk", ".err");
        Process p = new ProcessBuilder(Python.command(), script.toString(), input.toString())
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("NLTK script finished").isTrue();
        assertThat(p.exitValue()).as("NLTK script exit code; stderr: %s", Files.readString(err)).isZero();
        return JsonParser.parseString(out).getAsJsonObject();
    }

    private static Path flickr8kDir() {
        String dir = System.getProperty("captioner.flickr8k.dir");
        return dir != null ? Paths.get(dir) : Paths.get("../../shared/data/flickr8k");
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }
}
