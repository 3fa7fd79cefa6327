package io.captioner.examples.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds a multipart/form-data body by hand, byte for byte as curl's {@code -F} sends it. */
final class Multipart {

    private final String boundary = "----captioner-test-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /**
     * Adds a file field.
     *
     * @param name the field name
     * @param fileName the submitted file name
     * @param contentType the part's content type
     * @param bytes the file
     * @return this builder
     */
    Multipart file(String name, String fileName, String contentType, byte[] bytes) {
        write("--" + boundary + "\r\n");
        write("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n");
        write("Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    /**
     * Adds a plain text field.
     *
     * @param name the field name
     * @param value the value
     * @return this builder
     */
    Multipart field(String name, String value) {
        write("--" + boundary + "\r\n");
        write("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        write(value + "\r\n");
        return this;
    }

    /**
     * Returns the request's Content-Type header value.
     *
     * @return {@code multipart/form-data; boundary=...}
     */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * Returns the body with its closing boundary.
     *
     * @return the bytes
     */
    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(body.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return copy.toByteArray();
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
