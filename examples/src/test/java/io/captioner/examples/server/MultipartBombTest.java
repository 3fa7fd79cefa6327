package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The multipart bomb of issue 18: a {@code POST /caption} body of thousands of parts is refused
 * with a JSON 4xx answer within seconds, and the server keeps captioning afterwards.
 */
class MultipartBombTest {

    private CaptionServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void bodyWithThousandsOfPartsIsRefusedAsJsonAndTheServerStaysUsable() {
        server = CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)).setModelName("bomb")
                // No grace: the refused upload's connection may still be sending when the test ends.
                .optPort(0).optShutdownGrace(Duration.ZERO).build().start();
        TestClient client = new TestClient(server.uri());
        Multipart body = new Multipart();
        for (int i = 0; i < 5_000; i++) {
            body.field("f" + i, "x");
        }
        body.file("image", "a.png", "image/png", TestImages.encoded("png", 8, 8));

        HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> client.send(client.captionRequest("", body).build()));

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        JsonObject json = TestClient.json(response);
        assertThat(json.get("status").getAsInt()).isEqualTo(response.statusCode());
        assertThat(json.get("error").getAsString()).contains("too many parts");
        assertThat(client.postImage("", "a.png", "image/png", TestImages.encoded("png", 8, 8)).statusCode())
                .isEqualTo(200);
    }
}
