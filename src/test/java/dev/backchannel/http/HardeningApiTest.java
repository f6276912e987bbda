package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every response carries (contract §1.6), CORS (§1.7 with the §10.2 #13 fixes), and the
 * size limits on bodies, metadata, request lines and headers: each answered with a JSON error,
 * and the server keeps serving afterwards.
 */
@Timeout(60)
class HardeningApiTest extends ApiTest {
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("max_body_bytes", "131072");
  }

  @BeforeAll
  void start() {
    key = api.mintKey("hardening");
  }


  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    for (Response response : new Response[] {api.get("/health").send(), api.get("/v1/keys/me").send(),
        api.get("/no/such/route").send(), api.get("/").send()}) {
      assertThat(response.headerValues("Access-Control-Allow-Origin")).containsExactly("*");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(response.header("Content-Security-Policy")).isEqualTo(ApiRouter.CSP)
          .contains("script-src 'self';", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'");
      assertThat(response.header("X-Request-Id")).matches(UUID);
      assertThat(response.header("Strict-Transport-Security")).isNull();
    }
  }

  @Test
  void requestIdsAreFreshAndTraceparentIsEchoedOrDerived() {
    Response first = api.get("/health").header("X-Request-Id", "client-chosen").send();
    Response second = api.get("/health").send();
    Response traced = api.get("/health").header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .send();

    assertThat(first.header("X-Request-Id")).matches(UUID).isNotEqualTo(second.header("X-Request-Id"));
    String hex = first.header("X-Request-Id").replace("-", "");
    assertThat(first.header("traceparent")).isEqualTo("00-" + hex + "-" + hex.substring(0, 16) + "-01");
    assertThat(traced.header("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  void linkHeadersOnlyOnSuccess() {
    assertThat(api.get("/health").send().headerValues("Link")).containsExactlyInAnyOrder(
        "</openapi.json>; rel=\"service-desc\"", "</.well-known/ai-manifest.json>; rel=\"ai-manifest\"");
    assertThat(api.get("/v1/keys/me").send().headerValues("Link")).isEmpty();
  }

  @Test
  void preflightOnAnyServedPathAnswers204WithTheCorsHeadersOnce() {
    for (String path : new String[] {"/v1/channels", "/v1/channels/anything/messages", "/v1/keys/me/scopes"}) {
      Response preflight = api.method("OPTIONS", path, null).header("Origin", "https://app.example")
          .header("Access-Control-Request-Method", "PUT").send();

      assertThat(preflight.status()).isEqualTo(204);
      assertThat(preflight.raw()).isEmpty();
      assertThat(preflight.headerValues("Access-Control-Allow-Origin")).containsExactly("*");
      assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, PATCH, PUT, DELETE, OPTIONS");
      assertThat(preflight.header("Access-Control-Allow-Headers"))
          .contains("Content-Type", "X-API-Key", "Idempotency-Key", "X-Admin-Token");
      assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("86400");
    }
  }

  @Test
  void preflightOnAnUnknownPathIs404() {
    Response unknown = api.method("OPTIONS", "/v1/nothing-here", null).send();
    Response trailingSlash = api.method("OPTIONS", "/v1/channels/", null).send();

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("not_found");
    assertThat(trailingSlash.status()).isEqualTo(404);
  }

  @Test
  void browsersMayReadTheRateLimitAndIdempotencyHeaders() {
    String exposed = api.get("/v1/keys/me").key(key).send().header("Access-Control-Expose-Headers");

    assertThat(exposed).contains("X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
        "Retry-After", "Idempotency-Key", "X-Idempotent-Replay");
  }

  @Test
  void bodiesOverTheCapAre413WithAJsonError() {
    Response declared = api.post("/v1/channels", "x".repeat(140_000)).key(key).send();

    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.error()).isEqualTo("payload_too_large");
    assertThat(declared.json().has("request_id")).isTrue();
    assertThat(api.get("/health").send().status()).isEqualTo(200);
  }

  @Test
  void chunkedBodiesOverTheCapAre413Too() throws Exception {
    byte[] big = ("{\"agent_label\":\"" + "y".repeat(140_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/keys"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();

    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("\"error\":\"payload_too_large\"");
  }

  @Test
  void metadataOver64KiBIs422MetadataTooLarge() {
    String channel = api.post("/v1/channels", json("name", "meta", "mode", "claimable")).key(key).send().text("id");
    Map<String, String> large = Map.of("blob", "z".repeat(70_000));

    Response post = api.post("/v1/channels/" + channel + "/messages", json("content", "hi", "metadata", large))
        .key(key).send();
    Response actor = api.post("/v1/actors", json("name", "big", "metadata", large)).key(key).send();
    Response fits = api.post("/v1/channels/" + channel + "/messages",
        json("content", "hi", "metadata", Map.of("blob", "z".repeat(60_000)))).key(key).send();

    assertThat(post.status()).isEqualTo(422);
    assertThat(post.error()).isEqualTo("metadata_too_large");
    assertThat(post.json().get("max_metadata_bytes").asInt()).isEqualTo(65_536);
    assertThat(post.json().get("received_bytes").asInt()).isGreaterThan(65_536);
    assertThat(actor.error()).isEqualTo("metadata_too_large");
    assertThat(fits.status()).isEqualTo(201);
  }

  @Test
  void tooLongRequestLineIs414JsonAndTheServerStaysUp() throws IOException {
    String answer = raw("GET /v1/channels/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.0 414").contains("\"error\":\"uri_too_long\"");
    assertThat(api.get("/health").send().status()).isEqualTo(200);
  }

  @Test
  void tooLargeHeadersAre431JsonAndTheServerStaysUp() throws IOException {
    String answer = raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "b".repeat(20_000) + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 431").contains("\"error\":\"headers_too_large\"");
    assertThat(api.get("/health").send().status()).isEqualTo(200);
  }

  @Test
  void brokenContentLengthIs400InvalidContentLength() throws IOException {
    String answer = raw("POST /v1/keys HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n{}");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_content_length\"");
    assertThat(api.get("/health").send().status()).isEqualTo(200);
  }

  @Test
  void adminRoutesAreDisabledWithoutAConfiguredToken() {
    Response withToken = api.post("/v1/admin/minting", json("enabled", false)).header("X-Admin-Token", "").send();
    Response guessed = api.post("/v1/admin/keys", json("agent_label", "x")).header("X-Admin-Token", "admin").send();

    assertThat(withToken.status()).isEqualTo(403);
    assertThat(withToken.error()).isEqualTo("admin_disabled");
    assertThat(guessed.error()).isEqualTo("admin_disabled");
    JsonNode health = api.get("/health").send().json();
    assertThat(health.get("public_minting_enabled").asBoolean()).isTrue();
  }

  /** Sends raw bytes and reads until the server closes the connection (it must, after these errors). */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept the connection open after: " + out, e);
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
