package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.TinyCaptioner;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny artifact saved by format version 1 is checked in under {@code src/test/resources/compat/};
 * later versions must keep loading it and produce the recorded captions.
 *
 * <p>To regenerate (only when the format version changes, adding a new directory, never replacing
 * an old one): {@code ./mvnw -pl captioner-models test -Dtest=CompatibilityArtifactTest
 * -Dcaptioner.compat.write=captioner-models/src/test/resources/compat/v1-small-cnn}.
 */
class CompatibilityArtifactTest {

    private static final String RESOURCE = "/compat/v1-small-cnn";
    private static final DecodingOptions BEAM = DecodingOptions.builder()
            .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(3).optNBest(2).optMaxLength(12).build();

    /** Images from a closed formula, so they do not depend on any other code of the project. */
    static List<BufferedImage> images() {
        List<BufferedImage> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 48; x++) {
                    int r = (x * 5 + k * 60) & 0xFF;
                    int g = (y * 6 + k * 30) & 0xFF;
                    int b = ((x + y) * 3 * (k + 1)) & 0xFF;
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            out.add(img);
        }
        return out;
    }

    @Test
    void checkedInVersionOneArtifactLoadsAndGivesTheRecordedCaptions() throws IOException, URISyntaxException {
        String write = System.getProperty("captioner.compat.write");
        if (write != null && !write.isBlank()) {
            regenerate(Path.of(write));
        }
        Path dir = Path.of(CompatibilityArtifactTest.class.getResource(RESOURCE + "/manifest.json").toURI()).getParent();
        JsonObject expected = JsonParser.parseString(
                Files.readString(dir.getParent().resolve("v1-small-cnn-expected.json"))).getAsJsonObject();
        assertThat(ModelArtifact.readManifest(dir).formatVersion()).isEqualTo(1);
        try (DjlCaptioner c = ModelArtifact.load(dir)) {
            List<BufferedImage> images = images();
            JsonArray greedy = expected.getAsJsonArray("greedy");
            JsonArray beam = expected.getAsJsonArray("beam");
            for (int i = 0; i < images.size(); i++) {
                assertRecorded(c.caption(images.get(i)), greedy.get(i).getAsJsonObject(), "greedy " + i);
                Caption b = c.caption(images.get(i), BEAM);
                assertRecorded(b, beam.get(i).getAsJsonObject(), "beam " + i);
            }
        }
    }

    @Test
    void checkedInVersionOneManifestIsWrittenBackUnchanged() throws IOException, URISyntaxException {
        Path file = Path.of(CompatibilityArtifactTest.class.getResource(RESOURCE + "/manifest.json").toURI());
        String json = Files.readString(file, StandardCharsets.UTF_8);
        String written = Manifest.parse(json, file.toString()).toJson();
        assertThat(written).contains("\"architecture\": \"small-cnn\"");
        JsonObject tree = JsonParser.parseString(written).getAsJsonObject();
        // The one field added since this artifact was written; absent reads as false.
        JsonObject config = tree.getAsJsonObject("decoder").getAsJsonObject("config");
        assertThat(config.remove("imageMerge").getAsBoolean()).isFalse();
        assertThat(tree).isEqualTo(JsonParser.parseString(json));
    }

    private static void assertRecorded(Caption c, JsonObject rec, String what) {
        assertThat(c.text()).as(what).isEqualTo(rec.get("caption").getAsString());
        assertThat(c.logProb()).as(what).isCloseTo(rec.get("score").getAsDouble(), within(1e-3));
        JsonArray alts = rec.getAsJsonArray("alternatives");
        assertThat(c.alternatives()).as(what).hasSize(alts.size());
        for (int j = 0; j < alts.size(); j++) {
            assertThat(c.alternatives().get(j).text()).isEqualTo(alts.get(j).getAsJsonObject().get("caption").getAsString());
        }
    }

    private static void regenerate(Path target) throws IOException {
        try (DjlCaptioner c = TinyCaptioner.create(2024)) {
            TinyCaptioner.writer(c).write(target);
        }
        JsonObject expected = new JsonObject();
        expected.addProperty("note", "captions of CompatibilityArtifactTest.images() by the artifact next to this file");
        try (DjlCaptioner c = ModelArtifact.load(target)) {
            JsonArray greedy = new JsonArray();
            JsonArray beam = new JsonArray();
            for (BufferedImage img : images()) {
                greedy.add(record(c.caption(img)));
                beam.add(record(c.caption(img, BEAM)));
            }
            expected.add("greedy", greedy);
            expected.add("beam", beam);
        }
        Files.writeString(target.resolveSibling(target.getFileName() + "-expected.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(expected) + "\n");
    }

    private static JsonElement record(Caption c) {
        JsonObject o = new JsonObject();
        o.addProperty("caption", c.text());
        o.addProperty("score", c.logProb());
        JsonArray alts = new JsonArray();
        for (Caption a : c.alternatives()) {
            JsonObject ao = new JsonObject();
            ao.addProperty("caption", a.text());
            ao.addProperty("score", a.logProb());
            alts.add(ao);
        }
        o.add("alternatives", alts);
        return o;
    }
}
