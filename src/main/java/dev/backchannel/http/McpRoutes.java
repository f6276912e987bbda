package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.KeyService;
import dev.backchannel.mcp.Loopback;
import dev.backchannel.mcp.McpProtocol;
import dev.backchannel.mcp.McpSessions;
import dev.backchannel.mcp.ToolCalls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;

/**
 * MCP over Streamable HTTP at {@code /mcp}: one JSON-RPC message per POST, answered as JSON, or as
 * an event stream when a tool waits and the client accepts one. The key comes as {@code X-API-Key}
 * or {@code Authorization: Bearer}; without one only {@code issue_key} runs.
 */
final class McpRoutes implements RouteGroup {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String VERSION_HEADER = "MCP-Protocol-Version";

  private final KeyService keys;
  private final McpSessions sessions;
  private final McpProtocol protocol;
  private final long keepAliveMillis;

  McpRoutes(KeyService keys, McpSessions sessions, McpProtocol protocol, long keepAliveMillis) {
    this.keys = keys;
    this.sessions = sessions;
    this.protocol = protocol;
    this.keepAliveMillis = keepAliveMillis;
  }

  @Override
  public void mount(Api api) {
    api.open(POST, "/mcp", this::message);
    api.open(GET, "/mcp", ctx -> {
      ctx.response().putHeader("Allow", "POST, DELETE");
      ctx.fail(ApiError.METHOD_NOT_ALLOWED.exception("GET /mcp opens no stream here; POST JSON-RPC messages"));
    });
    api.open(DELETE, "/mcp", this::endSession);
  }

  private void message(RoutingContext ctx) {
    checkOrigin(ctx);
    JsonNode message = parse(ctx.body().buffer());
    String key = apiKey(ctx);
    Future<Void> authenticated = key == null ? Future.succeededFuture() : keys.authenticate(key).mapEmpty();
    Loopback.Target target = new Loopback.Target(ctx.request().localAddress(), key);
    authenticated.onFailure(ctx::fail).onSuccess(v -> {
      try {
        dispatch(ctx, message, target);
      } catch (RuntimeException e) {
        // the key check may complete later, outside the router's own try: fail the request here
        ctx.fail(e);
      }
    });
  }

  private void dispatch(RoutingContext ctx, JsonNode message, Loopback.Target target) {
    if ("initialize".equals(message.path("method").asText())) {
      initialize(ctx, message, target);
      return;
    }
    McpSessions.Session session = session(ctx);
    String version = ctx.request().getHeader(VERSION_HEADER);
    if (version != null && !McpProtocol.VERSIONS.contains(version)) {
      throw ApiError.UNSUPPORTED_PROTOCOL_VERSION.exception("Unsupported MCP-Protocol-Version '" + version
          + "'; this session speaks " + session.protocolVersion());
    }
    if (McpProtocol.isNotification(message) || !message.has("method")) {
      Responses.send(ctx, 202, null, Buffer.buffer());
      return;
    }
    String tool = McpProtocol.toolOf(message);
    if (tool != null && ToolCalls.WAITING.contains(tool) && acceptsStream(ctx)) {
      stream(ctx, message, target);
      return;
    }
    protocol.handle(message, target, new Waiting(ctx.response(), null))
        .onSuccess(answer -> Responses.json(ctx, 200, answer)).onFailure(ctx::fail);
  }

  private void initialize(RoutingContext ctx, JsonNode message, Loopback.Target target) {
    String id = sessions.open(McpProtocol.negotiate(message));
    if (id == null) {
      throw ApiError.MCP_SESSIONS_FULL.exception();
    }
    protocol.handle(message, target, new Waiting(ctx.response(), null)).onFailure(ctx::fail).onSuccess(answer -> {
      ctx.response().putHeader(SESSION_HEADER, id);
      Responses.json(ctx, 200, answer);
    });
  }

  /** A waiting tool as Server-Sent Events: keep-alive comments and progress, then the response. */
  private void stream(RoutingContext ctx, JsonNode message, Loopback.Target target) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": waiting\n\n");
    long timer = ctx.vertx().setPeriodic(keepAliveMillis, t -> {
      if (!response.closed()) {
        response.write(": keep-alive\n\n");
      }
    });
    JsonNode token = message.path("params").path("_meta").get("progressToken");
    protocol.handle(message, target, new Waiting(response, token)).onComplete(done -> {
      ctx.vertx().cancelTimer(timer);
      if (response.closed()) {
        return;
      }
      JsonNode answer = done.succeeded() ? done.result()
          : McpProtocol.error(message.get("id"), -32603, "the call failed");
      response.end("event: message\ndata: " + answer + "\n\n");
    });
  }

  private void endSession(RoutingContext ctx) {
    checkOrigin(ctx);
    String id = ctx.request().getHeader(SESSION_HEADER);
    if (id == null || id.isBlank()) {
      throw ApiError.MCP_SESSION_REQUIRED.exception();
    }
    if (!sessions.close(id)) {
      throw ApiError.MCP_SESSION_NOT_FOUND.exception();
    }
    Responses.noContent(ctx);
  }

  private McpSessions.Session session(RoutingContext ctx) {
    String id = ctx.request().getHeader(SESSION_HEADER);
    if (id == null || id.isBlank()) {
      throw ApiError.MCP_SESSION_REQUIRED.exception();
    }
    McpSessions.Session session = sessions.find(id);
    if (session == null) {
      throw ApiError.MCP_SESSION_NOT_FOUND.exception();
    }
    return session;
  }

  private static JsonNode parse(Buffer raw) {
    JsonNode message;
    try {
      message = Body.JSON.readTree(raw == null ? new byte[0] : raw.getBytes());
    } catch (IOException e) {
      throw ApiError.INVALID_JSON.exception("The body is not a JSON-RPC message: not valid JSON");
    }
    if (message == null || !message.isObject()) {
      throw ApiError.INVALID_JSON_SHAPE.exception("Send one JSON-RPC message as a JSON object (batches are not "
          + "supported since protocol revision 2025-06-18)");
    }
    return message;
  }

  /** {@code X-API-Key}, else {@code Authorization: Bearer <key>}, else null. */
  static String apiKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("X-API-Key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String bearer = authorization.substring(7).trim();
      return bearer.isEmpty() ? null : bearer;
    }
    return null;
  }

  private static boolean acceptsStream(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/event-stream");
  }

  /** A browser page of another origin may not drive the endpoint (DNS rebinding). */
  private static void checkOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return;
    }
    String host = ctx.request().getHeader("Host");
    try {
      URI uri = URI.create(origin);
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      if (host != null && host.equalsIgnoreCase(authority)) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // an unparseable origin is refused below
    }
    throw ApiError.ORIGIN_NOT_ALLOWED.exception();
  }

  /** Progress of a waiting call, as notifications when the client sent a progress token. */
  private static final class Waiting implements ToolCalls.Waiting {
    private final HttpServerResponse response;
    private final JsonNode token;
    private int step;

    Waiting(HttpServerResponse response, JsonNode token) {
      this.response = response;
      this.token = token;
    }

    @Override
    public boolean active() {
      return !response.closed();
    }

    @Override
    public void progress(String message) {
      if (token == null || response.closed() || !response.headWritten()) {
        return;
      }
      ObjectNode note = Body.JSON.createObjectNode();
      note.put("jsonrpc", "2.0");
      note.put("method", "notifications/progress");
      ObjectNode params = note.putObject("params");
      params.set("progressToken", token);
      params.put("progress", ++step);
      params.put("message", message);
      response.write("event: message\ndata: " + note + "\n\n");
    }
  }
}
