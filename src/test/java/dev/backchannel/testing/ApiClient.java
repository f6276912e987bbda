package dev.backchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small blocking HTTP client for tests, so a test reads top to bottom:
 * {@code api.post("/v1/channels", json).key(k).send()}.
 */
public final class ApiClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private final String baseUrl;

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Call get(String path) {
    return new Call("GET", path, null);
  }

  public Call post(String path, Object body) {
    return new Call("POST", path, body);
  }

  public Call post(String path) {
    return new Call("POST", path, null);
  }

  public Call patch(String path, Object body) {
    return new Call("PATCH", path, body);
  }

  public Call put(String path, Object body) {
    return new Call("PUT", path, body);
  }

  public Call delete(String path) {
    return new Call("DELETE", path, null);
  }

  public Call method(String method, String path, Object body) {
    return new Call(method, path, body);
  }

  /** Mints a key for a fresh label and returns the raw key. */
  public String mintKey(String label) {
    Response response = post("/v1/keys", json("agent_label", label)).send();
    if (response.status() != 201) {
      throw new IllegalStateException("minting failed: " + response);
    }
    return response.text("key");
  }

  /** Builds a JSON object from alternating names and values. */
  public static ObjectNode json(Object... pairs) {
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      node.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
    }
    return node;
  }

  /** One request being built. */
  public final class Call {
    private final String method;
    private final String path;
    private final Object body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    Call(String method, String path, Object body) {
      this.method = method;
      this.path = path;
      this.body = body;
    }

    public Call key(String apiKey) {
      return header("X-API-Key", apiKey);
    }

    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Response send() {
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, publisher());
        headers.forEach(request::header);
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.headers().map(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * Sends the request but reads the body only of an error: a 2xx event stream is closed as
     * soon as its headers arrive.
     */
    public Response sendForStatus() {
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, publisher());
        headers.forEach(request::header);
        HttpResponse<java.io.InputStream> response = HTTP.send(request.build(),
            HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
          byte[] raw = response.statusCode() >= 400 ? body.readAllBytes() : new byte[0];
          return new Response(response.statusCode(), response.headers().map(), raw);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private HttpRequest.BodyPublisher publisher() throws IOException {
      if (body == null) {
        return HttpRequest.BodyPublishers.noBody();
      }
      if (body instanceof byte[] bytes) {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
      }
      if (body instanceof String text) {
        return HttpRequest.BodyPublishers.ofString(text);
      }
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    }
  }

  /** A response with its JSON body parsed (when it is JSON). */
  public record Response(int status, Map<String, java.util.List<String>> headers, byte[] raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(raw);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body(), e);
      }
    }

    public String body() {
      return new String(raw, StandardCharsets.UTF_8);
    }

    public String text(String field) {
      JsonNode node = json().get(field);
      return node == null || node.isNull() ? null : node.asText();
    }

    public String header(String name) {
      for (Map.Entry<String, java.util.List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }

    public java.util.List<String> headerValues(String name) {
      for (Map.Entry<String, java.util.List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue();
        }
      }
      return java.util.List.of();
    }

    public String error() {
      return text("error");
    }

    @Override
    public String toString() {
      return status + " " + body();
    }
  }
}
