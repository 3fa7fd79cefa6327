package io.captioner.examples.server;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 7 of issue 18: any {@code POST /caption} request, headers and multipart body, to a
 * server running in this JVM on a loopback port (with {@link SizeCaptioner}, a bearer token and
 * a 256 KiB upload limit).
 *
 * <p>Input: up to the first blank line ({@code \r\n\r\n}) the request head, whose first line is
 * the query string and the rest header lines; after it, the body. The harness keeps the HTTP
 * framing valid, since malformed framing is Jetty's parser's business and answered by Jetty
 * itself: the query keeps only URI characters, header lines must be {@code name: value} with a
 * token name and printable value (others are dropped), the head is cut to 4 KiB, and
 * {@code Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection} and
 * {@code Expect} are set by the harness (the body's real length, {@code Connection: close}).
 *
 * <p>Contract: every request is answered (no dropped connection, within 10 s); never with a
 * 5xx; a 4xx answer is JSON {@code {"error": "...", "status": N}} with N the status; a 200 answer
 * is JSON with a {@code caption}. Seeds (the README's curl upload, options, extra fields, missing
 * field, wrong content type, wrong token) and regression inputs:
 * {@code CaptionServerFuzzTestInputs/anyCaptionRequest/}.
 */
class CaptionServerFuzzTest {

    /** The token the seeds send. */
    static final String TOKEN = "fuzz-token";

    private static final int MAX_HEAD_BYTES = 4096;
    private static final Set<String> HARNESS_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "expect");

    private static CaptionServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = CaptionServer.builder()
                .setCaptioner(new SizeCaptioner(Duration.ZERO))
                .setModelName("fuzz")
                .optPort(0)
                .optToken(TOKEN)
                .optMaxUploadBytes(256 * 1024)
                .optShutdownGrace(Duration.ofSeconds(1))
                .build()
                .start();
        // Javalin, Jetty's multipart parser and ImageIO load (and in fuzzing runs get
        // instrumented) on the first upload; the one-second limit is for the inputs.
        Multipart upload = new Multipart().file("image", "a.png", "image/png", TestImages.encoded("png", 8, 8));
        ByteArrayOutputStream warmUp = new ByteArrayOutputStream();
        warmUp.writeBytes(("\nAuthorization: Bearer " + TOKEN + "\nContent-Type: " + upload.contentType()
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        warmUp.writeBytes(upload.bytes());
        byte[] request = request(warmUp.toByteArray());
        byte[] response = send(request);
        check(response, request);
        if (!new String(response, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException("the warm-up upload was not captioned: "
                    + new String(response, StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyCaptionRequest(byte[] data) throws Exception {
        byte[] request = request(data);
        byte[] response;
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections(
                (host, port) -> port == server.port() && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            response = send(request);
        }
        check(response, request);
    }

    /** Builds a well-framed request from the fuzz input, as the class description says. */
    static byte[] request(byte[] data) {
        int split = indexOf(data, new byte[] {'\r', '\n', '\r', '\n'});
        byte[] head = java.util.Arrays.copyOfRange(data, 0, split < 0 ? data.length : split);
        byte[] body = split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(data, split + 4, data.length);
        String[] lines = new String(head, 0, Math.min(head.length, MAX_HEAD_BYTES), StandardCharsets.ISO_8859_1)
                .split("\r?\n", -1);
        StringBuilder out = new StringBuilder("POST /caption");
        String query = uriCharacters(lines[0]);
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        out.append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(server.port()).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                    || HARNESS_HEADERS.contains(line.substring(0, colon).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = line.substring(colon + 1);
            if (value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7F) || c >= 0x80)) {
                out.append(line.substring(0, colon)).append(':').append(value).append("\r\n");
            }
        }
        out.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    private static String uriCharacters(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c > 0x20 && c < 0x7F && "\"<>\\^`{|}#".indexOf(c) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static byte[] send(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    /** Checks one answer against the contract; the request is quoted in the failure. */
    static void check(byte[] response, byte[] request) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        String quoted = "\n--- request:\n" + new String(request, 0, Math.min(request.length, 2000),
                StandardCharsets.ISO_8859_1) + "\n--- response:\n" + text.substring(0, Math.min(text.length(), 2000));
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            throw new AssertionError("dropped connection: no HTTP answer" + quoted);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int end = text.indexOf("\r\n\r\n");
        String headers = end < 0 ? text : text.substring(0, end).toLowerCase(Locale.ROOT);
        String body = end < 0 ? "" : new String(response, end + 4, response.length - end - 4, StandardCharsets.UTF_8);
        if (status >= 500) {
            throw new AssertionError("server error " + status + quoted);
        }
        if (!headers.contains("\r\ncontent-type: application/json")) {
            throw new AssertionError("answer " + status + " is not JSON" + quoted);
        }
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(body);
            if (!parsed.isJsonObject()) {
                throw new AssertionError("answer " + status + " is not a JSON object" + quoted);
            }
            json = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new AssertionError("answer " + status + " is not valid JSON (" + e.getMessage() + ")" + quoted);
        }
        if (status == 200) {
            if (!json.has("caption")) {
                throw new AssertionError("200 without a caption" + quoted);
            }
        } else if (status < 400 || !json.has("error") || !json.has("status")
                || json.get("status").getAsInt() != status) {
            throw new AssertionError("answer " + status + " is not {\"error\", \"status\": " + status + "}" + quoted);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
