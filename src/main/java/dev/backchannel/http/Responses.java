package dev.backchannel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Writes responses. */
public final class Responses {
  public static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonNode body) {
    send(ctx, status, JSON, encode(body));
  }

  public static void ok(RoutingContext ctx, JsonNode body) {
    json(ctx, 200, body);
  }

  public static void created(RoutingContext ctx, JsonNode body) {
    json(ctx, 201, body);
  }

  /** 204 with an empty body; contract §1.3 keeps a bare JSON content type here. */
  public static void noContent(RoutingContext ctx) {
    send(ctx, 204, "application/json", Buffer.buffer());
  }

  public static void text(RoutingContext ctx, int status, String contentType, String body) {
    send(ctx, status, contentType, Buffer.buffer(body));
  }

  public static void send(RoutingContext ctx, int status, String contentType, Buffer body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (contentType != null) {
      response.putHeader("Content-Type", contentType);
    }
    response.end(body);
  }

  /** The error envelope of contract §1.5: details merged at the top level. */
  public static void error(RoutingContext ctx, ApiException e, String documentationBase) {
    ObjectNode body = Wire.object();
    body.put("error", e.error().code());
    body.put("message", e.getMessage());
    for (Map.Entry<String, Object> detail : e.details().entrySet()) {
      body.set(detail.getKey(), Body.JSON.valueToTree(detail.getValue()));
    }
    body.put("request_id", Requests.requestId(ctx));
    body.put("documentation_url", documentationBase + "/docs/errors.md#" + e.error().code().replace('_', '-'));
    Object retryAfter = e.details().getOrDefault("retry_after", e.details().get("retry_after_seconds"));
    if (retryAfter != null) {
      ctx.response().putHeader("Retry-After", retryAfter.toString());
    }
    json(ctx, e.status(), body);
  }

  /** An error without request id or documentation link (unknown routes, invitation sign-in; §1.5). */
  public static void bareError(RoutingContext ctx, int status, ObjectNode body) {
    json(ctx, status, body);
  }

  public static Buffer encode(JsonNode body) {
    try {
      return Buffer.buffer(Body.JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response cannot be encoded", e);
    }
  }
}
