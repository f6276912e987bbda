package dev.backchannel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.UUID;

/**
 * Requests the HTTP decoder refused before any route saw them: a request line over
 * {@code maxInitialLineLength} (414), headers over {@code maxHeaderSize} (431), a broken
 * Content-Length or framing (400). They get the usual JSON error, and Vert.x closes the connection
 * once it is sent, so a client that keeps sending garbage cannot hold it.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiError error = classify(cause);
    String requestId = UUID.randomUUID().toString();
    ObjectNode body = Wire.object();
    body.put("error", error.code());
    body.put("message", error.defaultMessage());
    body.put("request_id", requestId);
    request.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", Responses.JSON)
        .putHeader("X-Request-Id", requestId)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Access-Control-Allow-Origin", "*")
        .end(Responses.encode(body));
  }

  static ApiError classify(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ApiError.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ApiError.HEADERS_TOO_LARGE;
    }
    String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
    return message.contains("content-length") ? ApiError.INVALID_CONTENT_LENGTH : ApiError.BAD_REQUEST;
  }
}
