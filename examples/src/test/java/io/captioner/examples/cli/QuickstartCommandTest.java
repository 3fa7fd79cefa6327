package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.models.artifact.ModelArtifact;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartCommandTest {

    @Test
    void tinyQuickstartEndsWithOneJsonLineAndSavesTheModel(@TempDir Path dir) {
        CliRun run = CliRun.of("quickstart", "--out", dir.toString(), "--images", "40", "--epochs", "1",
                "--beam", "2");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        String[] lines = run.out().strip().split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertThat(json.keySet()).contains("bleu1", "bleu4", "baseline_bleu4", "train_seconds", "test_images", "model");
        assertThat(json.get("test_images").getAsInt()).isEqualTo(4);
        assertThat(json.get("search").getAsString()).isEqualTo("beam 2");
        assertThat(json.keySet()).contains("greedy_bleu4", "cider");
        assertThat(Path.of(json.get("model").getAsString()).resolve("decoder.params")).exists();
        assertThat(dir.resolve("dataset").resolve("Flickr8k.token.txt")).exists();
        assertThat(run.out()).contains("generated: ", "reference: ");
        assertThat(run.err()).contains("epoch 1/1");
        assertThat(imageMerge(Path.of(json.get("model").getAsString()))).as("merge is the default").isTrue();
    }

    @Tag("slow")
    @Test
    void noImageMergeTrainsThePlainDecoder(@TempDir Path dir) {
        CliRun run = CliRun.of("quickstart", "--out", dir.toString(), "--images", "40", "--epochs", "1",
                "--beam", "1", "--no-image-merge");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(CaptionerCli.EXIT_OK);
        assertThat(imageMerge(dir.resolve("model"))).isFalse();
    }

    private static boolean imageMerge(Path model) {
        return ((io.captioner.models.decoder.DecoderConfig) ModelArtifact.readManifest(model).decoderConfig()).imageMerge();
    }

    @Test
    void invalidImageCountIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("quickstart", "--out", dir.toString(), "--images", "3");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("images must be at least 10, found 3");
    }

    @Test
    void beamWidthBelowOneIsAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("quickstart", "--out", dir.toString(), "--beam", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("beamSize must be in [1, 50], found 0");
    }
}
