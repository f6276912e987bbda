package dev.backchannel.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.mcp.Loopback.Reply;
import dev.backchannel.mcp.Loopback.Target;
import io.vertx.core.Future;
import java.util.List;

/**
 * JSON-RPC 2.0 for the Model Context Protocol: {@code initialize}, {@code ping},
 * {@code tools/list}, {@code tools/call}. A failing tool is a result with {@code isError: true}
 * carrying the API's error body; only a malformed call is a JSON-RPC error.
 */
public final class McpProtocol {
  public static final String LATEST_VERSION = "2025-06-18";
  public static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");
  public static final String KEYLESS_TOOL = "issue_key";
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;

  private final ToolCatalog catalog;
  private final ToolCalls calls;
  private final String version;

  public McpProtocol(ToolCatalog catalog, ToolCalls calls, String version) {
    this.catalog = catalog;
    this.calls = calls;
    this.version = version;
  }

  /** The tool a {@code tools/call} names, or null for any other message. */
  public static String toolOf(JsonNode message) {
    return "tools/call".equals(message.path("method").asText()) ? message.path("params").path("name").asText(null)
        : null;
  }

  public static boolean isNotification(JsonNode message) {
    return !message.has("id") && message.has("method");
  }

  /** The protocol revision to answer an {@code initialize} with: the client's if we speak it, else ours. */
  public static String negotiate(JsonNode initialize) {
    String asked = initialize.path("params").path("protocolVersion").asText("");
    return VERSIONS.contains(asked) ? asked : LATEST_VERSION;
  }

  /** The response to one request (never called for notifications). */
  public Future<ObjectNode> handle(JsonNode request, Target target, ToolCalls.Waiting waiting) {
    JsonNode id = request.get("id");
    if (!"2.0".equals(request.path("jsonrpc").asText()) || id == null || !(id.isTextual() || id.isNumber())) {
      return Future.succeededFuture(error(id, INVALID_REQUEST, "not a JSON-RPC 2.0 request with an id"));
    }
    JsonNode params = request.path("params");
    switch (request.path("method").asText()) {
      case "initialize":
        return Future.succeededFuture(result(id, initialized(negotiate(request))));
      case "ping":
        return Future.succeededFuture(result(id, Loopback.JSON.createObjectNode()));
      case "tools/list":
        ObjectNode list = Loopback.JSON.createObjectNode();
        list.set("tools", catalog.tools());
        return Future.succeededFuture(result(id, list));
      case "tools/call":
        return callTool(id, params, target, waiting);
      default:
        return Future.succeededFuture(error(id, METHOD_NOT_FOUND, "unknown method '"
            + request.path("method").asText() + "'"));
    }
  }

  private ObjectNode initialized(String protocolVersion) {
    ObjectNode out = Loopback.JSON.createObjectNode();
    out.put("protocolVersion", protocolVersion);
    out.putObject("capabilities").putObject("tools").put("listChanged", false);
    ObjectNode info = out.putObject("serverInfo");
    info.put("name", "backchannel");
    info.put("title", "Backchannel");
    info.put("version", version);
    out.put("instructions", "Channels carry messages between agents: broadcast (everyone reads) or claimable "
        + "(one owner per message). Without a key only issue_key works; send its key as X-API-Key or "
        + "Authorization: Bearer. Workers: claim_next with a lease, heartbeat while working, ack_task when done.");
    return out;
  }

  private Future<ObjectNode> callTool(JsonNode id, JsonNode params, Target target, ToolCalls.Waiting waiting) {
    String name = params.path("name").asText("");
    if (!catalog.has(name)) {
      return Future.succeededFuture(error(id, INVALID_PARAMS, "unknown tool '" + name + "'"));
    }
    JsonNode raw = params.get("arguments");
    if (raw != null && !raw.isNull() && !raw.isObject()) {
      return Future.succeededFuture(toolError(id, "invalid_arguments", "arguments must be a JSON object"));
    }
    ObjectNode args = raw == null || raw.isNull() ? Loopback.JSON.createObjectNode() : (ObjectNode) raw;
    String problem = catalog.check(name, args);
    if (problem != null) {
      return Future.succeededFuture(toolError(id, "invalid_arguments", name + ": " + problem));
    }
    if (target.apiKey() == null && !KEYLESS_TOOL.equals(name)) {
      return Future.succeededFuture(toolError(id, "unauthorized", "This tool needs an API key: call issue_key, "
          + "then send the key as X-API-Key or Authorization: Bearer <key>"));
    }
    Future<Loopback.Reply> reply;
    try {
      reply = calls.call(name, args, target, waiting);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    return reply
        .map(answer -> toolResult(id, answer))
        .otherwise(cause -> toolError(id, "service_unavailable", "The call could not be completed: "
            + cause.getMessage()));
  }

  private static ObjectNode toolResult(JsonNode id, Reply reply) {
    ObjectNode out = Loopback.JSON.createObjectNode();
    out.putArray("content").addObject().put("type", "text").put("text", reply.body().toString());
    if (reply.body().isObject()) {
      out.set("structuredContent", reply.body());
    }
    out.put("isError", !reply.ok());
    return result(id, out);
  }

  private static ObjectNode toolError(JsonNode id, String code, String message) {
    ObjectNode body = Loopback.JSON.createObjectNode();
    body.put("error", code);
    body.put("message", message);
    return toolResult(id, new Reply(422, body));
  }

  static ObjectNode result(JsonNode id, ObjectNode result) {
    ObjectNode out = Loopback.JSON.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.set("id", id);
    out.set("result", result);
    return out;
  }

  public static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode out = Loopback.JSON.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.set("id", id == null ? Loopback.JSON.nullNode() : id);
    ObjectNode error = out.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return out;
  }
}
