package io.captioner.examples.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends real HTTP requests to a server under test with the JDK client. */
public final class TestClient {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    public TestClient(URI base) {
        this.base = base;
    }

    /** Builds a multipart POST to {@code /caption?query} as curl sends it. */
    HttpRequest.Builder captionRequest(String query, Multipart body) {
        return HttpRequest.newBuilder(base.resolve("/caption" + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .header("accept", "application/json")
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
    }

    /** Uploads one image in field {@code image}. */
    public HttpResponse<String> postImage(String query, String fileName, String type, byte[] image) {
        return send(captionRequest(query, new Multipart().file("image", fileName, type, image)).build());
    }

    /** Uploads one image in field {@code image}, asynchronously. */
    CompletableFuture<HttpResponse<String>> postImageAsync(String query, byte[] png) {
        HttpRequest request = captionRequest(query, new Multipart().file("image", "a.png", "image/png", png)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GETs a path. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** Sends any request and reads the body as a string. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON object body. */
    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
