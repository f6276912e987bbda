package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.testing.ApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Contract §5.17: openapi.json describes every route the server serves, with the right method,
 * and nothing it does not serve; the meta routes (§4.13, plus {@code /account/usage}) stay out.
 * Agent-facing texts never name retired fields, and every write declares Idempotency-Key.
 */
class OpenApiCompletenessTest extends ApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES = Set.of("POST", "PATCH", "PUT", "DELETE");
  // contract §4.13 and §5.17, plus our own public operational routes next to them
  private static final Set<String> META = Set.of("/health", "/health/ready", "/status", "/status.html", "/metrics",
      "/openapi.json", "/.well-known/openapi.json", "/ai-manifest.json", "/.well-known/ai-manifest.json",
      "/.well-known/backchannel.json", "/.well-known/ai-plugin.json", "/.well-known/agent-policy.json", "/llms.txt",
      "/agent-guide", "/first-success-prompt.txt", "/robots.txt", "/docs/playground", "/playground.js",
      "/docs/{}", "/", "/humans", "/humans.js", "/repo", "/repo/*", "/account/usage");
  private static final List<String> AGENT_TEXTS = List.of("openapi.json", "llms.txt", "agent-guide.txt",
      "docs/protocol.md");
  private static final List<String> RETIRED = List.of("next_since", "claimed_by_actor_id");

  private static String normalized(String path) {
    return path.replaceAll("\\{[a-z_]+}", "{}");
  }

  private Set<String> served() {
    Set<String> out = new TreeSet<>();
    for (RouteTable.Entry entry : server.server().routes()) {
      out.add(entry.method().name() + " " + normalized(entry.template()));
    }
    return out;
  }

  private static JsonNode openapi() throws IOException {
    return JSON.readTree(resource("openapi.json"));
  }

  private static Set<String> documented(JsonNode openapi) {
    Set<String> out = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(method -> {
        if (!method.equals("parameters")) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + normalized(path.getKey()));
        }
      });
    }
    return out;
  }

  private static boolean isMeta(String route) {
    return META.contains(route.substring(route.indexOf(' ') + 1));
  }

  @Test
  void everyServedRouteIsDocumentedExceptTheMetaRoutes() throws IOException {
    Set<String> missing = new TreeSet<>(served());
    missing.removeIf(OpenApiCompletenessTest::isMeta);
    missing.removeAll(documented(openapi()));
    assertThat(missing).as("served but not in openapi.json").isEmpty();
  }

  @Test
  void everyDocumentedRouteIsServed() throws IOException {
    Set<String> phantom = new TreeSet<>(documented(openapi()));
    phantom.removeAll(served());
    assertThat(phantom).as("in openapi.json but not served").isEmpty();
  }

  @Test
  void metaRoutesAreNotDocumented() throws IOException {
    assertThat(documented(openapi())).noneMatch(OpenApiCompletenessTest::isMeta);
  }

  @Test
  void theServedSetIsTheOneTheServerRoutes() {
    assertThat(served()).contains("POST /v1/channels", "GET /v1/channels/{}/messages", "GET /health",
        "POST /v1/leases/{}/heartbeat", "GET /account/usage");
  }

  @Test
  void everyWriteDeclaresAnOptionalIdempotencyKeyHeader() throws IOException {
    JsonNode openapi = openapi();
    Set<String> without = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String method = op.getKey().toUpperCase(Locale.ROOT);
        if (WRITES.contains(method) && !declaresIdempotencyKey(openapi, path.getValue(), op.getValue())) {
          without.add(method + " " + path.getKey());
        }
      }
    }
    assertThat(without).as("writes without an optional Idempotency-Key header").isEmpty();
  }

  private static boolean declaresIdempotencyKey(JsonNode openapi, JsonNode path, JsonNode op) {
    for (JsonNode parameters : List.of(op.path("parameters"), path.path("parameters"))) {
      for (JsonNode parameter : parameters) {
        JsonNode p = resolve(openapi, parameter);
        if ("Idempotency-Key".equalsIgnoreCase(p.path("name").asText()) && "header".equals(p.path("in").asText())
            && !p.path("required").asBoolean(false)) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode resolve(JsonNode openapi, JsonNode node) {
    String ref = node.path("$ref").asText("");
    return ref.startsWith("#/") ? openapi.at(ref.substring(1)) : node;
  }

  @Test
  void agentFacingTextsNeverNameRetiredFields() throws IOException {
    for (String name : AGENT_TEXTS) {
      assertThat(resource(name)).as(name).doesNotContain(RETIRED);
      assertThat(api.get(name.equals("agent-guide.txt") ? "/agent-guide" : "/" + name).send().body()).as(name)
          .isNotBlank().doesNotContain(RETIRED);
    }
  }

  @Test
  void theDescriptionIsOpenApi31WithTheApiKeyScheme() throws IOException {
    JsonNode openapi = openapi();
    assertThat(openapi.get("openapi").asText()).isEqualTo("3.1.0");
    JsonNode scheme = openapi.at("/components/securitySchemes/ApiKeyAuth");
    assertThat(scheme.get("type").asText()).isEqualTo("apiKey");
    assertThat(scheme.get("in").asText()).isEqualTo("header");
    assertThat(scheme.get("name").asText()).isEqualTo("X-API-Key");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OpenApiCompletenessTest.class.getResourceAsStream("/public/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
