package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.visual.AttentionMapLayout;
import io.captioner.visual.AttentionMapRenderer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionCommandTest {

    @TempDir static Path shared;
    static Path model;
    static Path attentionModel;
    static Path data;
    static final SyntheticDataset SYNTH = SyntheticDataset.builder().optImages(20).optImageSize(64).build();

    @BeforeAll
    static void setUp() {
        model = TinyModel.save(shared.resolve("model"), SYNTH);
        attentionModel = TinyModel.saveAttention(shared.resolve("attention-model"), SYNTH);
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

    @Test
    void attentionMapsGiveOnePngPerImageOfThePictureTheModelSawAndAPanelPerWord() throws IOException {
        // a 2:1 image: the model sees its 32 × 32 centre crop, so the panels must be square
        BufferedImage wide = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        wide.getGraphics().drawImage(ImageIO.read(image(4).toFile()), 32, 0, null);
        Path wideFile = shared.resolve("wide.png");
        ImageIO.write(wide, "png", wideFile.toFile());
        Path maps = shared.resolve("maps-" + System.nanoTime());
        CliRun run = CliRun.of("caption", "--model", attentionModel.toString(), "--attention-maps", maps.toString(),
                "--json", image(0).toString(), wideFile.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            int words = o.getAsJsonArray("tokens").size();
            Path png = Path.of(o.get("attention_map").getAsString());
            BufferedImage figure = ImageIO.read(png.toFile());
            AttentionMapLayout layout = AttentionMapRenderer.defaults().layout(32, 32, words);
            assertThat(layout.panels()).isEqualTo(words + 1);
            assertThat(figure.getWidth()).as(png.toString()).isEqualTo(layout.width());
            assertThat(figure.getHeight()).as(png.toString()).isEqualTo(layout.height());
        }
        try (Stream<Path> files = Files.list(maps)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SYNTH.imageName(0), "wide.png");
        }
    }

    @Test
    void imagesWithTheSameFileNameGetDistinctMaps() throws IOException {
        Path a = Files.createDirectories(shared.resolve("same-a")).resolve("x.png");
        Path b = Files.createDirectories(shared.resolve("same-b")).resolve("x.png");
        Files.copy(image(5), a, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(image(6), b, StandardCopyOption.REPLACE_EXISTING);
        Path maps = shared.resolve("maps-" + System.nanoTime());
        CliRun run = CliRun.of("caption", "--model", attentionModel.toString(), "--attention-maps", maps.toString(),
                a.toString(), b.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(maps.resolve("x.png")).isRegularFile();
        assertThat(maps.resolve("x-2.png")).isRegularFile();
    }

    @Test
    void attentionMapsFromAModelWithoutAttentionAreAUsageErrorNamingTheModelAndItsDecoder() {
        Path maps = shared.resolve("maps-" + System.nanoTime());
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--attention-maps", maps.toString(),
                image(0).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--attention-maps needs a model with attention, but model " + model
                + " has decoder show-and-tell-lstm (lstm), which has none");
        assertThat(run.out()).isEmpty();
        assertThat(maps).doesNotExist();
    }
}
