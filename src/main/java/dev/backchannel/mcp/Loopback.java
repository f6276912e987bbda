package dev.backchannel.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;

/**
 * Calls this server's own REST routes over the connection's local address, so every tool runs
 * through exactly the guards and handlers a REST client meets: key check, rate limit,
 * idempotency, validation and the error catalogue.
 */
public final class Loopback {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final long SLACK_MILLIS = 15_000;

  private final HttpClient client;

  public Loopback(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(64));
  }

  /** A REST answer: status and its JSON body (an empty body is an empty object). */
  public record Reply(int status, JsonNode body) {
    boolean ok() {
      return status < 400;
    }
  }

  /** Where the REST routes are and whose key to send. */
  public record Target(SocketAddress server, String apiKey) {}

  Future<Reply> call(Target target, HttpMethod method, String uri, ObjectNode body, String idempotencyKey,
      long waitMillis) {
    RequestOptions options = new RequestOptions().setMethod(method).setServer(target.server())
        .setHost(target.server().hostAddress()).setPort(target.server().port()).setURI(uri)
        .setIdleTimeout(waitMillis + SLACK_MILLIS).putHeader("Accept", "application/json");
    if (target.apiKey() != null) {
      options.putHeader("X-API-Key", target.apiKey());
    }
    if (idempotencyKey != null) {
      options.putHeader("Idempotency-Key", idempotencyKey);
    }
    Buffer payload = body == null ? Buffer.buffer() : Buffer.buffer(body.toString());
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> request.send(payload))
        .compose(response -> response.body().map(raw -> new Reply(response.statusCode(), parse(raw))));
  }

  private static JsonNode parse(Buffer raw) {
    if (raw.length() == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(raw.getBytes());
    } catch (IOException e) {
      ObjectNode error = JSON.createObjectNode();
      error.put("error", "invalid_response");
      error.put("message", "The server answered with a body that is not JSON");
      return error;
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
