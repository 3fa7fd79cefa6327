package io.captioner.examples.server;

import io.javalin.openapi.OpenApiByFields;
import io.javalin.openapi.OpenApiDescription;
import io.javalin.openapi.OpenApiRequired;

/** The JSON body of every error answer: {@code {"error": "...", "status": N}}. */
@OpenApiByFields
public final class ErrorResponse {

    /** What was wrong, naming the field or parameter and the value found. */
    @OpenApiDescription("What was wrong, naming the field or parameter and the value found.")
    @OpenApiRequired
    public final String error;

    /** The HTTP status, repeated in the body. */
    @OpenApiDescription("The HTTP status code, repeated.")
    public final int status;

    /**
     * Creates the body.
     *
     * @param error the message
     * @param status the HTTP status
     */
    public ErrorResponse(String error, int status) {
        this.error = error;
        this.status = status;
    }
}
