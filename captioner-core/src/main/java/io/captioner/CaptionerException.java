package io.captioner;

/**
 * The one exception type of the captioner SDK for failures outside the caller's control: unreadable
 * or malformed files, corrupt images, incompatible models and engine errors.
 *
 * <p>Programming errors (a negative beam width, a call after {@code close()}) are reported with the
 * JDK's {@link IllegalArgumentException} and {@link IllegalStateException} instead. Messages of this
 * exception name the file or field, the rule that was broken, and the value found, for example
 * {@code "Flickr8k.token.txt line 17: expected '<image>#<n><TAB><caption>', found 'abc'"}.
 *
 * <p>It is unchecked so that it passes through streams and lambdas; callers that serve untrusted
 * input (an upload endpoint, a batch job) should catch it explicitly.
 */
public class CaptionerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names what was wrong.
     *
     * @param message the file or field, the rule, and the value found
     */
    public CaptionerException(String message) {
        super(message);
    }

    /**
     * Creates an exception that wraps a lower-level cause (an {@code IOException}, an engine error).
     *
     * @param message the file or field, the rule, and the value found
     * @param cause the underlying error
     */
    public CaptionerException(String message, Throwable cause) {
        super(message, cause);
    }
}
