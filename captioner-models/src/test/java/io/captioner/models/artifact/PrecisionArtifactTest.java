package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.TinyCaptioner;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.decoder.Precision;
import io.captioner.models.encoder.EncoderOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder precision is recorded in the manifest ({@code decoder.precision}), honoured on load
 * and overridable by the loader; float32 artifacts keep their old form, and a bad value is refused
 * naming the field.
 */
class PrecisionArtifactTest {

    private static DjlCaptioner original;
    private static List<BufferedImage> images;

    @TempDir Path dir;

    @BeforeAll
    static void create() {
        original = TinyCaptioner.create(11);
        images = TinyCaptioner.images(0, 4);
    }

    @AfterAll
    static void close() {
        original.close();
    }

    private static Precision decoderPrecision(DjlCaptioner c) {
        return ((LstmCaptionDecoder) c.decoder()).settings().precision();
    }

    @Test
    void savedPrecisionIsRecordedAndUsedOnLoad() throws IOException {
        Path target = dir.resolve("int8");
        TinyCaptioner.writerBuilder(original).optPrecision(Precision.INT8).build().write(target);
        JsonObject m = JsonParser.parseString(Files.readString(target.resolve(Manifest.FILE_NAME))).getAsJsonObject();
        assertThat(m.getAsJsonObject("decoder").get("precision").getAsString()).isEqualTo("int8");
        assertThat(ModelArtifact.readManifest(target).precision()).isEqualTo(Precision.INT8);
        try (DjlCaptioner loaded = ModelArtifact.load(target)) {
            assertThat(decoderPrecision(loaded)).isEqualTo(Precision.INT8);
            Caption c = loaded.caption(images.get(0));
            assertThat(c.text()).isNotNull();
        }
    }

    @Test
    void float32ArtifactsWriteNoPrecisionFieldAndLoadAtFloat32() throws IOException {
        Path target = dir.resolve("fp32");
        TinyCaptioner.writer(original).write(target);
        assertThat(Files.readString(target.resolve(Manifest.FILE_NAME))).doesNotContain("precision");
        try (DjlCaptioner loaded = ModelArtifact.load(target)) {
            assertThat(decoderPrecision(loaded)).isEqualTo(Precision.FP32);
        }
    }

    @Test
    void aLoaderMayChooseAnotherPrecision() {
        Path target = dir.resolve("model");
        TinyCaptioner.writer(original).write(target);
        try (DjlCaptioner loaded = ModelArtifact.load(target, EncoderOptions.defaults(), Precision.BF16)) {
            assertThat(decoderPrecision(loaded)).isEqualTo(Precision.BF16);
        }
    }

    @Test
    void copyWithPrecisionChangesOnlyTheManifestAndLoadsWithTheSameFloat32Captions() throws IOException {
        Path source = dir.resolve("model.zip");
        TinyCaptioner.writer(original).write(source);
        Path copy = dir.resolve("copy");
        Manifest written = ArtifactWriter.copyWithPrecision(source, copy, Precision.BF16);
        assertThat(written.precision()).isEqualTo(Precision.BF16);
        assertThat(ModelArtifact.readManifest(copy).precision()).isEqualTo(Precision.BF16);
        Path back = dir.resolve("back.zip");
        ArtifactWriter.copyWithPrecision(copy, back, Precision.FP32);
        try (DjlCaptioner loaded = ModelArtifact.load(back)) {
            assertThat(decoderPrecision(loaded)).isEqualTo(Precision.FP32);
            for (BufferedImage image : images) {
                io.captioner.models.SameCaption.assertSame(loaded.caption(image), original.caption(image), "round trip");
            }
        }
    }

    @Test
    void anUnknownPrecisionInTheManifestIsRefusedNamingTheField() throws IOException {
        Path target = dir.resolve("bad");
        TinyCaptioner.writer(original).write(target);
        Path file = target.resolve(Manifest.FILE_NAME);
        JsonObject m = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        m.getAsJsonObject("decoder").addProperty("precision", "fp8");
        Files.writeString(file, m.toString(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ModelArtifact.readManifest(target))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("field decoder.precision")
                .hasMessageContaining("fp8")
                .hasMessageContaining("[fp32, bf16, int8]");
    }
}
