package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The HTTP client of the script commands ({@code worker}, {@code post}, {@code tail}): JSON with a key. */
final class CliClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SLACK = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String key;

  CliClient(String baseUrl, String key) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
  }

  /** A JSON answer; {@code body} is an empty object for an empty body. */
  record Reply(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String error() {
      return body.path("error").asText("http_" + status) + ": " + body.path("message").asText("");
    }
  }

  /** Thrown when the server cannot be reached or answers with something that is not JSON. */
  static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  Reply post(String path, ObjectNode body, Duration wait) throws IOException, InterruptedException {
    return post(path, body, wait, null);
  }

  /**
   * A POST; with an {@code idempotencyKey} the server answers it once, and a retry with the same
   * key replays the first answer.
   */
  Reply post(String path, ObjectNode body, Duration wait, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path, wait).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/json");
    return send(idempotencyKey == null ? request : request.header("Idempotency-Key", idempotencyKey));
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(request(path, Duration.ZERO).GET());
  }

  /** An event stream, opened at {@code lastEventId} when there is one; the caller reads and closes it. */
  HttpResponse<InputStream> stream(String path, String lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Accept", "text/event-stream").header("X-API-Key", key);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + baseUrl + ": " + e.getMessage(), e);
    }
  }

  private HttpRequest.Builder request(String path, Duration wait) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(wait.plus(SLACK))
        .header("Accept", "application/json");
    return key == null ? request : request.header("X-API-Key", key);
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + baseUrl + ": " + e.getMessage(), e);
    }
    byte[] raw = response.body();
    try {
      return new Reply(response.statusCode(), raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw));
    } catch (IOException e) {
      throw new Unreachable("the server answered " + response.statusCode() + " with a body that is not JSON", e);
    }
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
