package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.decoder.DecoderType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny attention artifact (small CNN 4 × 4 × 16 map, Show-Attend-Tell decoder with the plain
 * output layer) saved before the deep output layer and word dropout existed is checked in under
 * {@code src/test/resources/compat/v1-attention}; later versions must keep loading it and give the
 * recorded captions, scores and attention weights.
 *
 * <p>To regenerate (only for a new format version, into a new directory, never over this one):
 * {@code ./mvnw -pl captioner-models test -Dtest=AttentionCompatibilityTest
 * -Dcaptioner.compat.attention.write=captioner-models/src/test/resources/compat/v1-attention}.
 */
class AttentionCompatibilityTest {

    private static final String RESOURCE = "/compat/v1-attention";
    private static final DecodingOptions GREEDY = DecodingOptions.builder().optMaxLength(8).optAttention(true)
            .build();
    private static final DecodingOptions BEAM = DecodingOptions.builder()
            .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(3).optNBest(2).optMaxLength(8)
            .optAttention(true).build();

    @Test
    void checkedInAttentionArtifactLoadsAndGivesTheRecordedCaptionsAndAttention()
            throws IOException, URISyntaxException {
        String write = System.getProperty("captioner.compat.attention.write");
        Path dir;
        if (write != null && !write.isBlank()) {
            dir = Path.of(write).toAbsolutePath();
            regenerate(dir);
        } else {
            dir = Path.of(AttentionCompatibilityTest.class.getResource(RESOURCE + "/manifest.json").toURI())
                    .getParent();
        }
        JsonObject expected = JsonParser.parseString(
                Files.readString(dir.resolveSibling(dir.getFileName() + "-expected.json"))).getAsJsonObject();
        Manifest manifest = ModelArtifact.readManifest(dir);
        assertThat(manifest.formatVersion()).isEqualTo(1);
        assertThat(manifest.decoderConfig().type()).isEqualTo(DecoderType.SHOW_ATTEND_TELL);
        try (DjlCaptioner c = ModelArtifact.load(dir)) {
            List<BufferedImage> images = CompatibilityArtifactTest.images();
            List<Caption> greedy = c.captionAll(images, GREEDY);
            List<Caption> beam = c.captionAll(images, BEAM);
            for (int i = 0; i < images.size(); i++) {
                assertRecorded(greedy.get(i), expected.getAsJsonArray("greedy").get(i).getAsJsonObject(),
                        "greedy " + i);
                assertRecorded(beam.get(i), expected.getAsJsonArray("beam").get(i).getAsJsonObject(), "beam " + i);
            }
        }
    }

    private static void assertRecorded(Caption c, JsonObject rec, String what) {
        assertThat(c.text()).as(what).isEqualTo(rec.get("caption").getAsString());
        assertThat(c.logProb()).as(what).isCloseTo(rec.get("score").getAsDouble(), within(1e-3));
        JsonArray alts = rec.getAsJsonArray("alternatives");
        assertThat(c.alternatives()).as(what).hasSize(alts.size());
        for (int j = 0; j < alts.size(); j++) {
            assertThat(c.alternatives().get(j).text()).as(what).isEqualTo(alts.get(j).getAsString());
        }
        JsonArray rows = rec.getAsJsonArray("attention");
        AttentionWeights a = c.attention();
        assertThat(a).as(what).isNotNull();
        assertThat(a.tokens()).as(what).isEqualTo(rows.size());
        assertThat(a.height()).as(what).isEqualTo(4);
        assertThat(a.width()).as(what).isEqualTo(4);
        for (int t = 0; t < rows.size(); t++) {
            JsonArray row = rows.get(t).getAsJsonArray();
            float[] found = a.weights(t);
            assertThat(found).as(what).hasSize(row.size());
            for (int l = 0; l < row.size(); l++) {
                assertThat(found[l]).as("%s token %d location %d", what, t, l)
                        .isCloseTo(row.get(l).getAsFloat(), within(1e-4f));
            }
        }
    }

    private static void regenerate(Path target) throws IOException {
        try (DjlCaptioner c = AttentionArtifactTest.create(2025)) {
            AttentionArtifactTest.save(c, target);
        }
        JsonObject expected = new JsonObject();
        expected.addProperty("note",
                "captions and attention of CompatibilityArtifactTest.images() by the artifact next to this file");
        try (DjlCaptioner c = ModelArtifact.load(target)) {
            List<BufferedImage> images = CompatibilityArtifactTest.images();
            expected.add("greedy", record(c.captionAll(images, GREEDY)));
            expected.add("beam", record(c.captionAll(images, BEAM)));
        }
        Files.writeString(target.resolveSibling(target.getFileName() + "-expected.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(expected) + "\n");
    }

    private static JsonArray record(List<Caption> captions) {
        JsonArray out = new JsonArray();
        for (Caption c : captions) {
            JsonObject o = new JsonObject();
            o.addProperty("caption", c.text());
            o.addProperty("score", c.logProb());
            JsonArray alts = new JsonArray();
            c.alternatives().forEach(a -> alts.add(a.text()));
            o.add("alternatives", alts);
            JsonArray rows = new JsonArray();
            for (int t = 0; t < c.attention().tokens(); t++) {
                JsonArray row = new JsonArray();
                for (float w : c.attention().weights(t)) {
                    row.add(w);
                }
                rows.add(row);
            }
            o.add("attention", rows);
            out.add(o);
        }
        return out;
    }
}
