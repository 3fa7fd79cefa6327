package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Errors that Jetty and Javalin answer themselves, outside the routes, are the server's JSON. */
class JsonErrorHandlerTest {

    private CaptionServer server;

    @BeforeEach
    void start() {
        server = CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)).setModelName("errors")
                .optPort(0).optShutdownGrace(Duration.ZERO).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Sends raw bytes and returns the status and the JSON body of the answer. */
    private Answer exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(text.substring(0, end).toLowerCase(java.util.Locale.ROOT))
                    .as(text).contains("content-type: application/json");
            return new Answer(Integer.parseInt(text.substring(9, 12)),
                    JsonParser.parseString(text.substring(end + 4)).getAsJsonObject());
        }
    }

    private record Answer(int status, JsonObject json) {}

    @Test
    void postCarryingAWebSocketKeyIsAJson404() throws IOException {
        Answer a = exchange("POST /caption HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Key: abc\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("status").getAsInt()).isEqualTo(404);
        assertThat(a.json().get("error").getAsString()).contains("WebSocket handler not found", "POST /caption");
    }

    @Test
    void headersOverTheLimitAreAJson431() throws IOException {
        Answer a = exchange("POST /caption HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(a.status()).isEqualTo(431);
        assertThat(a.json().get("status").getAsInt()).isEqualTo(431);
    }

    @Test
    void malformedHeaderLineIsAJson400() throws IOException {
        Answer a = exchange("POST /caption HTTP/1.1\r\nHost: x\r\nno colon here\r\nContent-Length: 0\r\n\r\n");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("status").getAsInt()).isEqualTo(400);
    }
}
