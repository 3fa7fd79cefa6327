package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.synthetic.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionCommandTest {

    @TempDir static Path shared;
    static Path model;
    static Path data;
    static final SyntheticDataset SYNTH = SyntheticDataset.builder().optImages(20).optImageSize(64).build();

    @BeforeAll
    static void setUp() {
        model = TinyModel.save(shared.resolve("model"), SYNTH);
        data = shared.resolve("data");
        SYNTH.generate(data);
    }

    private static Path image(int i) {
        return data.resolve(SyntheticDataset.IMAGES_DIR).resolve(SYNTH.imageName(i));
    }

    @Test
    void jsonPrintsOneObjectPerImageWithCaptionScoreAndTokens() {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--json", image(0).toString(), image(1).toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonObject o = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(o.get("image").getAsString()).isEqualTo(image(0).toString());
        List<String> tokens = o.getAsJsonArray("tokens").asList().stream().map(e -> e.getAsString()).toList();
        assertThat(o.get("caption").getAsString()).isEqualTo(String.join(" ", tokens));
        assertThat(o.get("score").getAsDouble()).isNegative();
        assertThat(o.has("alternatives")).isFalse();
    }

    @Test
    void nbestAddsDistinctAlternativesSortedByScore() {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--beam", "4", "--nbest", "3", "--json",
                image(2).toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        JsonObject o = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        var alts = o.getAsJsonArray("alternatives");
        assertThat(alts).hasSize(2);
        double best = o.get("score").getAsDouble();
        double first = alts.get(0).getAsJsonObject().get("score").getAsDouble();
        double second = alts.get(1).getAsJsonObject().get("score").getAsDouble();
        assertThat(best).isGreaterThanOrEqualTo(first);
        assertThat(first).isGreaterThanOrEqualTo(second);
        assertThat(List.of(o.get("caption").getAsString(), alts.get(0).getAsJsonObject().get("caption").getAsString(),
                alts.get(1).getAsJsonObject().get("caption").getAsString())).doesNotHaveDuplicates();
    }

    @Test
    void seededSamplingIsRepeatable() {
        String[] args = {"caption", "--model", model.toString(), "--temperature", "1.5", "--top-k", "5", "--seed", "42",
            "--json", image(3).toString()};
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertThat(a.exitCode()).as(a.err()).isEqualTo(0);
        assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void badFileIsReportedNamingItOthersAreCaptionedAndExitIsOne() throws IOException {
        Path bad = Files.writeString(shared.resolve("notes.jpg"), "not an image");
        CliRun run = CliRun.of("caption", "--model", model.toString(), image(0).toString(), bad.toString(),
                image(1).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("notes.jpg").contains("1 of 3 images could not be captioned");
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out()).contains(image(0).toString() + "\t").contains(image(1).toString() + "\t");
    }

    @Test
    void missingModelIsARuntimeErrorNamingIt() {
        CliRun run = CliRun.of("caption", "--model", shared.resolve("nope").toString(), image(0).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("nope: model artifact not found");
    }

    @Test
    void captionAndEvaluateHaveHelp() {
        CliRun caption = CliRun.of("caption", "--help");
        assertThat(caption.exitCode()).isEqualTo(0);
        assertThat(caption.out()).contains("--model", "--beam", "--nbest", "--temperature", "--top-k", "--top-p",
                "--seed", "--json", "--max-length");
        CliRun evaluate = CliRun.of("evaluate", "--help");
        assertThat(evaluate.exitCode()).isEqualTo(0);
        assertThat(evaluate.out()).contains("--model", "--dataset", "--split", "--beam", "--report",
                "--report-samples", "--results-out");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(CliRun.of("caption", "--model", model.toString()).exitCode()).as("no image").isEqualTo(2);
        assertThat(CliRun.of("caption", "--model", model.toString(), "--beam", "0", image(0).toString()).exitCode())
                .as("beam 0").isEqualTo(2);
        assertThat(CliRun.of("caption", "--model", model.toString(), "--beam", "2", "--seed", "1",
                image(0).toString()).exitCode()).as("beam and sampling").isEqualTo(2);
        CliRun negativeSamples = CliRun.of("evaluate", "--model", model.toString(), "--dataset", "unused",
                "--report-samples", "-3");
        assertThat(negativeSamples.exitCode()).as("negative report samples").isEqualTo(2);
        assertThat(negativeSamples.err()).contains("--report-samples must be >= 0, found -3");
    }

    @Test
    void evaluatePrintsTheScoreKeysAndWritesResultsThatScoreAgrees() throws IOException {
        Path results = shared.resolve("results.json");
        Path report = shared.resolve("report.md");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--dataset", data.toString(),
                "--split", "test", "--beam", "2", "--results-out", results.toString(), "--report", report.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(o.keySet()).contains("bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "cider", "images");
        assertThat(o.get("images").getAsInt()).isEqualTo(SYNTH.testImages());
        assertThat(report).isRegularFile();
        CliRun score = CliRun.of("score", "--results", results.toString(), "--dataset", data.toString(), "--split", "test");
        assertThat(score.exitCode()).as(score.err()).isEqualTo(0);
        assertThat(JsonParser.parseString(score.out())).isEqualTo(o);
    }
}
