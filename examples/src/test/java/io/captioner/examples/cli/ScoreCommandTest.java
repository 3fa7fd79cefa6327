package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.CocoResults;
import io.captioner.eval.EvaluationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

    @TempDir Path dir;
    private Path dataset;
    private final Map<String, List<String>> testRefs = new LinkedHashMap<>();

    private String out;
    private String err;

    @BeforeEach
    void writeTinyFlickr8k() throws IOException {
        dataset = Files.createDirectories(dir.resolve("flickr8k"));
        testRefs.put("a.jpg", List.of("A dog runs on the grass .", "A brown dog running through grass .",
                "The dog is running .", "A dog plays outside .", "A puppy runs across a lawn ."));
        testRefs.put("b.jpg", List.of("Two children play in a pool .", "Kids splash in the water .",
                "Two kids swimming .", "Children in a swimming pool .", "Two young boys play in a pool ."));
        testRefs.put("c.jpg", List.of("A man climbs a rock .", "A climber on a cliff .",
                "A man in a red shirt rock climbing .", "Someone scales a rock wall .", "A man climbs ."));
        Map<String, List<String>> all = new LinkedHashMap<>(testRefs);
        all.put("d.jpg", List.of("A cat sleeps .", "A cat on a sofa .", "A sleeping cat .", "A cat .", "Cat ."));
        all.put("e.jpg", List.of("A red car .", "A car on a road .", "A parked car .", "A car .", "Car ."));
        StringBuilder token = new StringBuilder();
        all.forEach((id, caps) -> {
            for (int i = 0; i < caps.size(); i++) {
                token.append(id).append('#').append(i).append('\t').append(caps.get(i)).append('\n');
            }
        });
        Files.writeString(dataset.resolve("Flickr8k.token.txt"), token, StandardCharsets.UTF_8);
        Files.writeString(dataset.resolve("Flickr_8k.testImages.txt"), "a.jpg\nb.jpg\nc.jpg\n");
        Files.writeString(dataset.resolve("Flickr_8k.trainImages.txt"), "d.jpg\n");
        Files.writeString(dataset.resolve("Flickr_8k.devImages.txt"), "e.jpg\n");
    }

    private Map<String, String> hypotheses() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("a.jpg", "A dog runs across the grass.");
        h.put("b.jpg", "Two kids play in the pool.");
        h.put("c.jpg", "A man climbs a cliff.");
        return h;
    }

    private Path results(Map<String, String> captions) {
        Path f = dir.resolve("results.json");
        CocoResults.write(f, captions);
        return f;
    }

    private int run(String... args) {
        CliRun run = CliRun.of(args);
        out = run.out();
        err = run.err();
        return run.exitCode();
    }

    @Test
    void printsTheCorpusScoresOfTheEvaluatorAsJson() {
        Path r = results(hypotheses());
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString())).as(err).isZero();
        JsonObject json = JsonParser.parseString(out).getAsJsonObject();
        assertThat(json.keySet()).containsExactly("bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "cider", "images");
        EvaluationResult expected = CaptionEvaluator.evaluate(hypotheses(), testRefs);
        assertThat(json.get("images").getAsInt()).isEqualTo(3);
        assertThat(json.get("bleu1").getAsDouble()).isEqualTo(expected.bleu1());
        assertThat(json.get("bleu4").getAsDouble()).isEqualTo(expected.bleu4());
        assertThat(json.get("rouge_l").getAsDouble()).isEqualTo(expected.rougeL());
        assertThat(json.get("cider").getAsDouble()).isEqualTo(expected.cider()).isGreaterThan(0);
    }

    @Test
    void writesTheMarkdownReportWhenAsked() throws IOException {
        Path r = results(hypotheses());
        Path report = dir.resolve("reports/score.md");
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString(),
                "--split", "test", "--report", report.toString(), "--report-samples", "2")).as(err).isZero();
        String md = Files.readString(report);
        assertThat(md).contains("| BLEU-4 |").contains("| CIDEr-D |").contains("## Sample of 2 of 3 images")
                .contains("**Hypothesis:** A dog runs across the grass.");
    }

    @Test
    void warnsWhenResultsCoverPartOfTheSplit() {
        Map<String, String> h = hypotheses();
        h.remove("c.jpg");
        assertThat(run("score", "--results", results(h).toString(), "--dataset", dataset.toString())).isZero();
        assertThat(err).contains("covers 2 of the 3 test images");
        assertThat(JsonParser.parseString(out).getAsJsonObject().get("images").getAsInt()).isEqualTo(2);
    }

    @Test
    void imageOutsideTheSplitFailsNamingIt() {
        Map<String, String> h = hypotheses();
        h.put("d.jpg", "a cat");
        assertThat(run("score", "--results", results(h).toString(), "--dataset", dataset.toString())).isEqualTo(1);
        assertThat(err).contains("d.jpg").contains("train split");
    }

    @Test
    void malformedResultsFailNamingEntryAndField() throws IOException {
        Path r = dir.resolve("bad.json");
        Files.writeString(r, "[{\"image_id\": \"a.jpg\"}]");
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString())).isEqualTo(1);
        assertThat(err).contains("bad.json").contains("entry 0").contains("'caption'");
    }

    @Test
    void scoresTheRealFlickr8kTestSplit() {
        Path real = Path.of(System.getProperty("captioner.flickr8k.dir", "../../shared/data/flickr8k"));
        assumeTrue(Files.isRegularFile(real.resolve(Flickr8kReader.TOKEN_FILE)),
                "Flickr8k annotations not found in " + real + " (set -Dcaptioner.flickr8k.dir)");
        // caption #0 of every test image as the "system"; the references are all five captions
        Map<String, String> h = new LinkedHashMap<>();
        Map<String, List<String>> refs = new LinkedHashMap<>();
        for (ImageCaptions image : Flickr8kReader.load(real).split(Split.TEST)) {
            h.put(image.imageId(), image.captions().get(0));
            refs.put(image.imageId(), image.captions());
        }
        assertThat(run("score", "--results", results(h).toString(), "--dataset", real.toString(), "--split", "test"))
                .as(err).isZero();
        JsonObject json = JsonParser.parseString(out).getAsJsonObject();
        EvaluationResult expected = CaptionEvaluator.evaluate(h, refs);
        assertThat(json.get("images").getAsInt()).isEqualTo(1000);
        assertThat(json.get("bleu4").getAsDouble()).isEqualTo(expected.bleu4());
        assertThat(json.get("cider").getAsDouble()).isEqualTo(expected.cider());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Path r = results(hypotheses());
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString(), "--split", "bogus"))
                .isEqualTo(2);
        assertThat(err).contains("bogus");
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString(), "--split", "none"))
                .isEqualTo(2);
        assertThat(run("score", "--dataset", dataset.toString())).isEqualTo(2);
        assertThat(err).contains("--results");
        assertThat(run("score", "--results", r.toString(), "--dataset", dataset.toString(), "--report-samples", "-1"))
                .isEqualTo(2);
        assertThat(err).contains("--report-samples must be >= 0, found -1");
    }
}
