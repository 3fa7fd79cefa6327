package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.captioner.Captioner;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.examples.cli.TinyModel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ?attention=true}: per-word maps from an attention model, a clear 400 from any other. */
class AttentionEndpointTest {

    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(40).optSeed(3).build();

    @TempDir Path dir;
    private CaptionServer server;
    private Captioner captioner;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (captioner != null) {
            captioner.close();
        }
    }

    private TestClient start(Path model, String name) {
        captioner = Captioner.load(model);
        server = CaptionServer.builder().setCaptioner(captioner).setModelName(name).optPort(0)
                .optShutdownGrace(Duration.ofSeconds(5)).build().start();
        return new TestClient(server.uri());
    }

    @Test
    void anAttentionModelReturnsOneMapPerWordAndThePartOfTheUploadItSaw() {
        TestClient client = start(TinyModel.saveAttention(dir.resolve("attention"), DATA), "attention");
        HttpResponse<String> health = client.get("/health");
        assertThat(TestClient.json(health).get("attention").getAsBoolean()).isTrue();

        HttpResponse<String> response = client.postImage("attention=true&beam=2", "wide.png", "image/png",
                TestImages.encoded("png", 64, 32));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = TestClient.json(response);
        int words = json.getAsJsonArray("tokens").size();
        JsonObject attention = json.getAsJsonObject("attention");
        int h = attention.get("height").getAsInt();
        int w = attention.get("width").getAsInt();
        JsonArray rows = attention.getAsJsonArray("tokens");
        assertThat(rows).hasSize(words);
        for (int t = 0; t < words; t++) {
            JsonArray row = rows.get(t).getAsJsonArray();
            assertThat(row).hasSize(h * w);
            double sum = 0;
            for (int i = 0; i < row.size(); i++) {
                sum += row.get(i).getAsDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
        // a 64x32 upload, resized so its shorter side is the crop and centre-cropped: the middle square
        JsonObject region = attention.getAsJsonObject("region");
        assertThat(region.get("width").getAsInt()).isEqualTo(32);
        assertThat(region.get("height").getAsInt()).isEqualTo(32);
        assertThat(region.get("x").getAsInt()).isEqualTo(16);
        assertThat(region.get("y").getAsInt()).isZero();

        HttpResponse<String> plain = client.postImage("", "wide.png", "image/png", TestImages.encoded("png", 64, 32));
        assertThat(TestClient.json(plain).has("attention")).as("only when asked for").isFalse();
    }

    @Test
    void attentionAskedOfAModelWithoutItIsA400NamingTheModel() {
        TestClient client = start(TinyModel.save(dir.resolve("lstm"), DATA), "lstm-model");
        assertThat(TestClient.json(client.get("/health")).get("attention").getAsBoolean()).isFalse();
        HttpResponse<String> response = client.postImage("attention=true", "a.png", "image/png",
                TestImages.encoded("png", 32, 32));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestClient.json(response).get("error").getAsString())
                .contains("attention", "lstm-model", "no attention");
    }

    @Test
    void aMalformedAttentionValueIsA400NamingIt() {
        TestClient client = start(TinyModel.saveAttention(dir.resolve("attention"), DATA), "attention");
        HttpResponse<String> response = client.postImage("attention=yes", "a.png", "image/png",
                TestImages.encoded("png", 32, 32));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestClient.json(response).get("error").getAsString()).contains("'attention'", "true or false", "yes");
    }
}
