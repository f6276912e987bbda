package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorsApiTest extends ApiTest {
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

  @ParameterizedTest
  @ValueSource(strings = {"GET /nope", "PUT /v1/channels", "DELETE /v1/keys", "PATCH /health", "POST /v1/keys/me",
      "GET /v1/messages/abc", "PUT /v1/channels/x/messages", "HEAD /health", "GET /v1", "GET /v1/channels/a/b/c"})
  void anUnknownMethodAndPathIsABare404NeverA405(String request) {
    String[] parts = request.split(" ");
    Response response = api.method(parts[0], parts[1], null).send();
    assertThat(response.status()).isEqualTo(404);
    if (!parts[0].equals("HEAD")) {
      JsonNode body = response.json();
      assertThat(body.get("error").asText()).isEqualTo("not_found");
      assertThat(body.get("message").asText()).isEqualTo("No route for " + parts[0] + " " + parts[1]);
      assertThat(body.has("request_id")).isFalse();
      assertThat(body.has("documentation_url")).isFalse();
    }
  }

  @Test
  void routesAreMatchedBeforeAuthentication() {
    assertThat(api.get("/v1/nothing-here").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/keys/me").send().status()).isEqualTo(401);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/channels/", "/health/", "/v1/keys/me/", "/llms.txt/"})
  void aTrailingSlashIsAnotherPath(String path) {
    Response response = api.get(path).key(newKey()).send();
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).isEqualTo("not_found");
  }

  @Test
  void preflightAnswersEveryServedPathWhateverTheMethod() {
    for (String path : List.of("/v1/channels", "/v1/channels/abc/messages", "/v1/keys/me/scopes", "/health",
        "/v1/channel-invitations/xyz", "/v1/leases/t/heartbeat")) {
      Response preflight = api.method("OPTIONS", path, null).send();
      assertThat(preflight.status()).as(path).isEqualTo(204);
      assertThat(preflight.raw()).isEmpty();
      assertThat(preflight.headerValues("Access-Control-Allow-Origin")).containsExactly("*");
      assertThat(preflight.header("Access-Control-Allow-Methods"))
          .contains("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS");
      assertThat(preflight.header("Access-Control-Allow-Headers"))
          .contains("Content-Type", "X-API-Key", "Idempotency-Key", "X-Admin-Token");
      assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("86400");
    }
    Response unknown = api.method("OPTIONS", "/v1/unknown", null).send();
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("not_found");
  }

  @Test
  void malformedJsonIs400AndValidJsonThatIsNotAnObjectIs422() {
    String key = newKey();
    for (String bad : List.of("{", "{\"name\": }", "{'name': 'x'}", "{\"a\":1}}", "nope", "{\"a\": 1} trailing",
        "\u00ff\u00fe")) {
      expectError(api.post("/v1/channels", bad).key(key).send(), 400, "invalid_json");
    }
    for (String shape : List.of("[]", "[{\"name\": \"x\"}]", "\"text\"", "42", "true", "null")) {
      expectError(api.post("/v1/channels", shape).key(key).send(), 422, "invalid_json_shape");
    }
    expectError(api.post("/v1/channels", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}).key(key)
        .send(), 400, "invalid_json");
  }

  @Test
  void deeplyNestedJsonIsRefusedNotACrash() {
    String deep = "{\"metadata\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"content\":\"x\"}";
    Response response = api.post("/v1/channels/any/messages", deep).key(newKey()).send();
    assertThat(response.status()).as(response.toString()).isBetween(400, 499);
  }

  @Test
  void anEmptyBodyIsAnEmptyObjectAndTheContentTypeIsNotInspected() {
    String key = newKey();
    expectError(api.post("/v1/channels").key(key).send(), 422, "missing_field");
    expectError(api.post("/v1/channels", "  \n").key(key).send(), 422, "missing_field");
    Response asText = api.post("/v1/channels", "{\"name\": \"typed\", \"mode\": \"broadcast\"}").key(key)
        .header("Content-Type", "text/plain").send();
    assertThat(asText.status()).isEqualTo(201);
  }

  @Test
  void anOversizeBodyIs413InTheErrorEnvelope() {
    String key = newKey();
    String channel = broadcastChannel(key);
    String huge = "{\"content\": \"" + "x".repeat(300 * 1024) + "\"}";
    Response response = api.post("/v1/channels/" + channel + "/messages", huge).key(key).send();
    expectError(response, 413, "payload_too_large");
    assertThat(response.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(response.text("request_id")).isEqualTo(response.header("X-Request-Id"));
    assertThat(api.get("/v1/channels/" + channel + "/messages").key(key).send().json().get("data")).isEmpty();
  }

  @Test
  void everyResponseCarriesARequestIdThatErrorsRepeat() {
    String key = newKey();
    List<Response> responses = List.of(
        api.get("/health").send(),
        api.get("/v1/keys/me").key(key).send(),
        api.get("/v1/keys/me").send(),
        api.get("/nope").send(),
        api.method("OPTIONS", "/v1/channels", null).send(),
        api.post("/v1/channels", "{").key(key).send(),
        api.get("/v1/channels/none").key(key).send(),
        api.get("/.well-known/backchannel.json").send(),
        api.get("/llms.txt").send());
    List<String> ids = new ArrayList<>();
    for (Response response : responses) {
      String id = response.header("X-Request-Id");
      assertThat(id).as(response.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      ids.add(id);
      if (response.status() >= 400 && response.json().has("request_id")) {
        assertThat(response.text("request_id")).isEqualTo(id);
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    Response handler = api.get("/v1/channels/none").key(key).send();
    assertThat(handler.text("request_id")).isEqualTo(handler.header("X-Request-Id"));
    assertThat(handler.text("documentation_url")).isEqualTo(api.baseUrl() + "/docs/errors.md#channel-not-found");
  }

  @Test
  void anIncomingRequestIdIsIgnoredButTraceparentIsEchoed() {
    Response response = api.get("/health").header("X-Request-Id", "mine").send();
    assertThat(response.header("X-Request-Id")).isNotEqualTo("mine");
    String id = response.header("X-Request-Id").replace("-", "");
    assertThat(response.header("traceparent")).isEqualTo("00-" + id + "-" + id.substring(0, 16) + "-01");
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertThat(api.get("/health").header("traceparent", parent).send().header("traceparent")).isEqualTo(parent);
  }

  @Test
  void securityAndRateHeadersAreOnEveryResponse() {
    String key = newKey();
    for (Response response : List.of(api.get("/health").send(), api.get("/nope").send(),
        api.get("/v1/keys/me").send(), api.get("/v1/keys/me").key(key).send(), api.get("/").send(),
        api.method("OPTIONS", "/health", null).send())) {
      assertThat(response.headerValues("Access-Control-Allow-Origin")).as(response.toString()).containsExactly("*");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(response.header("Content-Security-Policy")).isEqualTo(CSP);
      assertThat(response.header("Strict-Transport-Security")).isNull();
      assertThat(response.header("X-RateLimit-Limit")).isEqualTo("0");
      assertThat(response.header("X-RateLimit-Window")).isEqualTo("60");
    }
  }

  @Test
  void aForwardedProtoFromAnUntrustedPeerDoesNotTurnOnHsts() {
    Response response = api.get("/health").header("X-Forwarded-Proto", "https").send();
    assertThat(response.header("Strict-Transport-Security")).isNull();
  }

  @Test
  void successfulResponsesLinkTheServiceDescriptionAndErrorsDoNot() {
    assertThat(api.get("/health").send().headerValues("Link"))
        .containsExactlyInAnyOrder("</openapi.json>; rel=\"service-desc\"",
            "</.well-known/ai-manifest.json>; rel=\"ai-manifest\"");
    assertThat(api.get("/nope").send().headerValues("Link")).isEmpty();
    assertThat(api.get("/v1/keys/me").send().headerValues("Link")).isEmpty();
  }

  @Test
  void oddPathsAreClientErrors() throws IOException {
    String key = newKey();
    for (String path : List.of("/v1/channels/%ZZ", "/v1/channels/%00%01", "/v1/channels/" + "x".repeat(4000),
        "/v1/channels/%E2%80%AE", "/v1/messages/%2F..%2F/claim", "/v1/channels/%C3%28", "/v1/channels/%",
        "/v1/channels/a%2Fb")) {
      String response = raw(get(path, key));
      assertThat(Integer.parseInt(response.substring(9, 12))).as(response).isLessThan(500);
      assertThat(response).contains("application/json");
    }
    assertThat(rawStatus("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isBetween(400, 499);
    assertThat(rawStatus("POST /v1/keys HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")).isEqualTo(400);
    assertThat(rawStatus("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
        .isBetween(400, 499);
  }

  @Test
  void brokenPercentEscapesAre400InvalidUrlInTheEnvelope() throws IOException {
    String key = newKey();
    for (String target : List.of("/v1/channels/%ZZ", "/v1/channels/%", "/v1/channels/x/messages?limit=%ZZ",
        "/v1/channels/x/messages?cursor=%2", "/health?x=%G0", "/nope/%ZZ")) {
      String response = raw(get(target, key));
      assertThat(response).as(target).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_url\"",
          "\"request_id\"", "application/json; charset=utf-8");
    }
    assertThat(raw(get("/v1/channels/Ops%20Alerts%2B1", key))).startsWith("HTTP/1.1 404")
        .contains("channel_not_found");
  }

  /** Every keyed write, with valid fields replaced one at a time by values of the wrong type. */
  @Test
  void wrongTypesAnywhereAreClientErrorsNeverServerErrors() {
    String key = newKey();
    String queue = claimableChannel(key);
    String message = postId(key, queue, "fuzz target");
    String leased = postId(key, queue, "leased fuzz target");
    String token = api.post("/v1/messages/" + leased + "/claim-with-lease", json()).key(key).send().text("lease_token");
    String actor = api.post("/v1/actors", json("name", "fuzzer")).key(key).send().text("id");
    String session = api.post("/v1/sessions", json("name", "fuzz")).key(key).send().text("id");
    List<Object[]> routes = List.of(
        new Object[] {"POST", "/v1/channels", json("name", "f", "mode", "broadcast"), List.of("name", "mode",
            "access", "discoverable", "description", "metadata_schema", "pinned_message", "webhook_url",
            "webhook_secret", "ttl_seconds", "retention_days", "max_messages", "max_writes_per_minute",
            "related_channels")},
        new Object[] {"PATCH", "/v1/channels/" + queue, json(), List.of("name", "mode", "access", "discoverable",
            "description", "metadata_schema", "pinned_message", "related_channels", "retention_days",
            "max_messages", "max_writes_per_minute")},
        new Object[] {"POST", "/v1/channels/" + queue + "/messages", json("content", "c"), List.of("content",
            "metadata", "actor", "actor_label", "mentions")},
        new Object[] {"POST", "/v1/channels/" + queue + "/aliases", json(), List.of("alias")},
        new Object[] {"POST", "/v1/channels/" + queue + "/members", json(), List.of("key_id")},
        new Object[] {"POST", "/v1/channels/" + queue + "/access-requests", json(), List.of("reason")},
        new Object[] {"POST", "/v1/messages/" + message + "/claim", json(), List.of("actor", "metadata")},
        new Object[] {"POST", "/v1/messages/" + message + "/claim-with-lease", json(), List.of("actor",
            "lease_seconds", "metadata")},
        new Object[] {"POST", "/v1/leases/" + token + "/heartbeat", json(), List.of("lease_seconds")},
        new Object[] {"POST", "/v1/messages/" + message + "/release", json(), List.of("actor")},
        new Object[] {"POST", "/v1/messages/" + message + "/ack", json(), List.of("actor", "metadata")},
        new Object[] {"POST", "/v1/actors", json("name", "a"), List.of("name", "description", "metadata")},
        new Object[] {"POST", "/v1/actors/" + actor + "/aliases", json(), List.of("alias")},
        new Object[] {"POST", "/v1/actors/" + actor + "/webhook", json("url", "https://x.example"),
            List.of("url", "secret")},
        new Object[] {"POST", "/v1/sessions", json("name", "s"), List.of("name", "state")},
        new Object[] {"PATCH", "/v1/sessions/" + session, json(), List.of("state")},
        new Object[] {"PUT", "/v1/keys/me/scopes", json("scopes", List.of()), List.of("scopes")},
        new Object[] {"POST", "/v1/tasks/post", json("channel", "t", "content", "c"), List.of("channel", "content",
            "actor_label", "metadata")},
        new Object[] {"POST", "/v1/tasks/claim", json("channel", queue), List.of("channel", "actor", "metadata")},
        new Object[] {"POST", "/v1/tasks/subscribe", json("channel", queue), List.of("channel", "since", "limit",
            "wait")},
        new Object[] {"POST", "/v1/tasks/broadcast", json("channel", queue, "content", "c"), List.of("channel",
            "content", "metadata")},
        new Object[] {"POST", "/v1/tasks/claim-and-ack", json("message_id", message), List.of("message_id", "actor",
            "metadata")},
        new Object[] {"POST", "/v1/tasks/create-claimable-session", json(), List.of("name", "description")},
        new Object[] {"POST", "/v1/tasks/post-with-result", json("channel", "r", "content", "c"), List.of("channel",
            "content", "metadata")},
        new Object[] {"POST", "/v1/tasks/" + message + "/result", json("content", "c"), List.of("content",
            "metadata", "actor_label")},
        new Object[] {"POST", "/v1/keys", json("agent_label", "x"), List.of("agent_label")});
    List<String> failures = new ArrayList<>();
    for (Object[] route : routes) {
      @SuppressWarnings("unchecked")
      List<String> fields = (List<String>) route[3];
      for (String field : fields) {
        for (JsonNode value : wrongValues()) {
          ObjectNode body = ((ObjectNode) route[2]).deepCopy();
          body.set(field, value);
          Call call = api.method((String) route[0], (String) route[1], body);
          Response response = (route[1].equals("/v1/keys") ? call : call.key(key)).send();
          if (response.status() >= 500 || !isJson(response)) {
            failures.add(route[0] + " " + route[1] + " " + body + " -> " + response);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void oddQueryParametersAreClientErrorsNeverServerErrors() throws IOException {
    String key = newKey();
    String channel = claimableChannel(key);
    postId(key, channel, "query fuzz");
    List<String> failures = new ArrayList<>();
    List<String> values = List.of("", "-1", "1e999", "99999999999999999999", "NaN", "%00", "%ZZ", "1.5",
        "2026-02-30", "%2B00%3A00", "%E2%80%AE");
    for (String path : List.of("/v1/channels/" + channel + "/messages", "/v1/channels/" + channel + "/history",
        "/v1/channels/" + channel + "/events", "/v1/channels", "/v1/security/audit")) {
      for (String param : List.of("limit", "cursor", "since", "status", "expiring_before", "wait")) {
        for (String value : values) {
          String query = path + "?" + param + "=" + value;
          int status = rawStatus(get(query, key));
          if (status >= 500) {
            failures.add(query + " -> " + status);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private static List<JsonNode> wrongValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode nested = f.objectNode();
    nested.putObject("a").putArray("b").add(1);
    return List.of(f.numberNode(-1), f.numberNode(1.5), f.numberNode(1e308),
        f.numberNode(new BigInteger("99999999999999999999999")), f.booleanNode(true), f.textNode(" "),
        f.textNode("x".repeat(2_000)), f.arrayNode().add(f.nullNode()).add("a"), nested, f.nullNode());
  }

  private static boolean isJson(Response response) {
    if (response.raw().length == 0) {
      return response.status() == 204;
    }
    try {
      response.json();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static String get(String target, String key) {
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nConnection: close\r\n\r\n";
  }

  private int rawStatus(String request) throws IOException {
    return Integer.parseInt(raw(request).substring(9, 12));
  }

  /** The whole response to a request written byte for byte (for what java.net.http refuses to send). */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
