package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.decoder.Precision;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert --precision} saves a copy that decodes at that precision; {@code caption --precision} loads at it. */
class ConvertCommandTest {

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
    void convertRecordsThePrecisionInTheCopysManifest() {
        Path out = shared.resolve("int8.zip");
        CliRun run = CliRun.of("convert", "--model", model.toString(), "--precision", "int8", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("at precision int8");
        assertThat(ModelArtifact.readManifest(out).precision()).isEqualTo(Precision.INT8);
        assertThat(ModelArtifact.readManifest(model).precision()).isEqualTo(Precision.FP32);
    }

    @Test
    void captionAtAReducedPrecisionPrintsACaption() {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--precision", "bf16", "--json",
                image(0).toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(JsonParser.parseString(run.out().strip()).getAsJsonObject().get("caption").getAsString())
                .isNotNull();
    }

    @Test
    void anUnknownPrecisionIsAUsageErrorNamingTheAcceptedOnes() {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--precision", "fp8", image(0).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--precision").contains("fp8").contains("[fp32, bf16, int8]");
        CliRun same = CliRun.of("convert", "--model", model.toString(), "--precision", "bf16", "--out",
                model.toString());
        assertThat(same.exitCode()).isEqualTo(2);
        assertThat(same.err()).contains("--out must differ from --model");
    }
}
