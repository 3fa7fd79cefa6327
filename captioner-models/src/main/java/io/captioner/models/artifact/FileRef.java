package io.captioner.models.artifact;

import java.util.Objects;

/**
 * A file the manifest points to, with the SHA-256 of its content so that corruption or a swapped
 * file is detected on load.
 *
 * @param path the file: relative to the artifact when {@code embedded}; otherwise as given when
 *     saving (absolute, or relative to the directory that contains the artifact)
 * @param sha256 lowercase hex SHA-256 of the file's bytes
 * @param bytes the file's length in bytes
 * @param embedded whether the file is inside the artifact (false for a reference to big weights
 *     kept elsewhere)
 */
public record FileRef(String path, String sha256, long bytes, boolean embedded) {

    /**
     * Checks the fields.
     *
     * @param path see the record description
     * @param sha256 see the record description
     * @param bytes see the record description
     * @param embedded see the record description
     * @throws IllegalArgumentException if the path is empty, the hash is not 64 hex digits or the
     *     length is negative
     */
    public FileRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, found '" + sha256 + "'");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, found " + bytes);
        }
    }
}
