package io.captioner.models.cache;

import io.captioner.CaptionerException;
import java.nio.file.Path;

/**
 * Thrown when a feature cache directory holds features computed for something other than what is
 * requested: another {@link CacheKey} (encoder, weights, preprocessing) or another list of image
 * ids. The cache is never reused then; the caller deletes the directory or uses another one.
 *
 * <p>Callers that can say why the cache went stale (a dataset whose usable images changed, for
 * example) catch this type and add that to the message; the message itself names the directory,
 * the field that differs, and both values.
 */
public class StaleFeatureCacheException extends CaptionerException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    /**
     * Creates the exception.
     *
     * @param directory the cache directory that was refused
     * @param message names the directory, what differs, and the cached and requested values
     */
    public StaleFeatureCacheException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    /**
     * Creates the exception with more context around a lower-level refusal.
     *
     * @param directory the cache directory that was refused
     * @param message names the directory, what differs, and the cached and requested values
     * @param cause the refusal this one adds context to
     */
    public StaleFeatureCacheException(Path directory, String message, Throwable cause) {
        super(message, cause);
        this.directory = directory;
    }

    /**
     * Returns the cache directory that was refused.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }
}
