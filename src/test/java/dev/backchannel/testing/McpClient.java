package dev.backchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON-RPC client of the MCP endpoint, of our own: {@code initialize} once, then
 * {@code call(tool, args)}. Reads plain JSON answers and event streams alike.
 */
public final class McpClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final String url;
  private final String key;
  private final AtomicInteger ids = new AtomicInteger();
  private String session;

  public McpClient(String baseUrl, String key) {
    this.url = baseUrl + "/mcp";
    this.key = key;
  }

  /** One HTTP answer of the endpoint: status, headers, and the JSON-RPC messages it carried. */
  public record Answer(int status, HttpResponse<String> http, List<JsonNode> messages) {
    public boolean streamed() {
      return http.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
    }

    /** The last message: the response itself. */
    public JsonNode response() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("no JSON-RPC message in " + status + " " + http.body());
      }
      return messages.get(messages.size() - 1);
    }

    public JsonNode result() {
      return response().path("result");
    }

    /** A tool result's structured content. */
    public JsonNode content() {
      return result().path("structuredContent");
    }

    public boolean isError() {
      return result().path("isError").asBoolean();
    }

    public JsonNode body() {
      try {
        return ApiClient.JSON.readTree(http.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return status + " " + http.body();
    }
  }

  public String session() {
    return session;
  }

  public McpClient initialize() {
    ObjectNode params = ApiClient.json("protocolVersion", "2025-06-18", "capabilities", ApiClient.json(),
        "clientInfo", ApiClient.json("name", "backchannel-test", "version", "1"));
    Answer answer = send(request("initialize", params));
    if (answer.status() != 200) {
      throw new IllegalStateException("initialize failed: " + answer);
    }
    session = answer.http().headers().firstValue("Mcp-Session-Id").orElseThrow();
    send(ApiClient.json("jsonrpc", "2.0", "method", "notifications/initialized"));
    return this;
  }

  public ObjectNode request(String method, ObjectNode params) {
    ObjectNode message = ApiClient.json("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", method);
    if (params != null) {
      message.set("params", params);
    }
    return message;
  }

  public ObjectNode toolCall(String tool, ObjectNode arguments) {
    return request("tools/call", ApiClient.json("name", tool, "arguments", arguments));
  }

  public Answer call(String tool, ObjectNode arguments) {
    return send(toolCall(tool, arguments));
  }

  public Answer send(Object message) {
    return sendAsync(message, "application/json, text/event-stream").join();
  }

  public CompletableFuture<Answer> sendAsync(Object message, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
        .header("Content-Type", "application/json").header("Accept", accept);
    if (key != null) {
      request.header("X-API-Key", key);
    }
    if (session != null) {
      request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
    }
    String body = message instanceof String text ? text : message.toString();
    return HTTP.sendAsync(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(McpClient::answer);
  }

  private static Answer answer(HttpResponse<String> http) {
    List<JsonNode> messages = new ArrayList<>();
    String type = http.headers().firstValue("Content-Type").orElse("");
    try {
      if (type.startsWith("text/event-stream")) {
        for (String event : http.body().split("\n\n")) {
          StringBuilder data = new StringBuilder();
          for (String line : event.split("\n")) {
            if (line.startsWith("data:")) {
              data.append(line.substring(5).trim());
            }
          }
          if (data.length() > 0) {
            messages.add(ApiClient.JSON.readTree(data.toString()));
          }
        }
      } else if (type.startsWith("application/json") && !http.body().isEmpty()) {
        JsonNode body = ApiClient.JSON.readTree(http.body());
        if (body.has("jsonrpc")) {
          messages.add(body);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Answer(http.statusCode(), http, messages);
  }
}
