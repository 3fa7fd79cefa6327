package io.captioner.examples.server;

/**
 * A request the server refuses with a given HTTP status; the server turns it into the JSON body
 * {@code {"error": message, "status": status}}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the refusal.
     *
     * @param status the HTTP status, 400..599
     * @param message what was wrong, naming the field or parameter and the value found
     */
    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * Returns the refusal for a failure of the server itself: status 500, whose answer never
     * carries an exception's text (the server sends a fixed message with the request id, and the
     * log has the cause).
     *
     * @return the refusal
     */
    static ApiException internal() {
        return new ApiException(500, "internal error");
    }

    /**
     * Returns the HTTP status to answer with.
     *
     * @return the status code
     */
    int status() {
        return status;
    }
}
