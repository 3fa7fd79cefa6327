package io.captioner.examples.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Renders the errors that Jetty and Javalin answer themselves, outside the server's routes, as
 * the server's JSON {@link ErrorResponse} instead of Jetty's HTML page: a request Javalin takes
 * for a WebSocket handshake because it carries {@code Sec-WebSocket-Key} (404), and a malformed
 * request line or header, or headers over the size limit (400, 414, 431). Stateless and
 * thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        byte[] body = json(code, describe(code, message) + " (" + request.getMethod() + " "
                + request.getRequestURI() + ")");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, describe(status, reason)));
    }

    private static String describe(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        return message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message;
    }

    private byte[] json(int status, String message) {
        return gson.toJson(new ErrorResponse(message, status)).getBytes(StandardCharsets.UTF_8);
    }
}
