package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.synthetic.SyntheticDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttentionAlignmentCommandTest {

    private static final SyntheticDataset SYNTH = SyntheticDataset.builder().optImages(20).optImageSize(64).build();

    @TempDir Path dir;

    @Test
    void printsALinePerVariantThenTheJsonOfEveryVariant() {
        Path model = TinyModel.saveAttention(dir.resolve("model"), SYNTH);
        CliRun run = CliRun.of("attention-alignment", "--model", model.toString(), "--images", "120", "--limit", "3");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).startsWith("3 test images with one shape");
        assertThat(lines.get(5)).startsWith("exif-jpeg").contains("peak as in jpeg");
        JsonObject json = JsonParser.parseString(lines.get(6)).getAsJsonObject();
        assertThat(json.get("images").getAsInt()).isEqualTo(3);
        assertThat(json.getAsJsonObject("variants").keySet())
                .containsExactly("square", "wide", "tall", "jpeg", "exif-jpeg");
    }

    @Test
    void aModelWithoutAttentionIsAUsageErrorNamingIt() {
        Path model = TinyModel.save(dir.resolve("lstm"), SYNTH);
        CliRun run = CliRun.of("attention-alignment", "--model", model.toString(), "--images", "120", "--limit", "3");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("model " + model + " has no attention decoder");
    }
}
