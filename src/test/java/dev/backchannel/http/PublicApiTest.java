package dev.backchannel.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicApiTest extends ApiTest {
  private static final String JSON = "application/json; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String MARKDOWN = "text/markdown; charset=utf-8";
  private static final String HTML = "text/html; charset=utf-8";

  private Response get(String path) {
    return api.get(path).send();
  }

  private String base() {
    return api.baseUrl();
  }

  @Test
  void healthIsOkAndNamesNoVersion() {
    Response health = get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Content-Type")).isEqualTo(JSON);
    JsonNode h = health.json();
    assertThat(h.get("status").asText()).isEqualTo("ok");
    assertThat(h.get("db_latency_ms").isNumber()).isTrue();
    assertThat(h.get("api_version").asText()).isEqualTo("1.0");
    assertThat(h.get("instance_kind").asText()).isEqualTo("self-hosted");
    assertThat(h.get("public_minting_enabled").asBoolean()).isTrue();
    assertThat(h.get("status_url").asText()).isEqualTo(base() + "/docs/reliability.md");
    assertThat(h.has("version")).isFalse();
  }

  @Test
  void readinessReportsTheDatabaseAndTheWriter() {
    Response ready = get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("ready");
  }

  @Test
  void statusNamesTheVersion() {
    Response status = get("/status");
    assertThat(status.status()).isEqualTo(200);
    JsonNode s = status.json();
    assertThat(s.get("status").asText()).isEqualTo("operational");
    assertThat(s.get("version").asText()).isEqualTo("0.1.0");
    for (String field : List.of("instance_kind", "updated_at", "availability", "health_url", "self_host_url")) {
      assertThat(s.has(field)).as(field).isTrue();
    }
    assertThat(s.get("health_url").asText()).isEqualTo(base() + "/health");
    Response page = get("/status.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo(HTML);
    assertThat(page.body()).contains("Backchannel");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/openapi.json", "/.well-known/openapi.json"})
  void theOpenApiDescriptionAdvertisesThisServer(String path) {
    Response openapi = get(path);
    assertThat(openapi.status()).isEqualTo(200);
    assertThat(openapi.header("Content-Type")).startsWith("application/json");
    JsonNode doc = openapi.json();
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    assertThat(doc.get("servers").get(0).get("url").asText()).isEqualTo(base());
    JsonNode scheme = doc.get("components").get("securitySchemes").get("ApiKeyAuth");
    assertThat(scheme.get("type").asText()).isEqualTo("apiKey");
    assertThat(scheme.get("in").asText()).isEqualTo("header");
    assertThat(scheme.get("name").asText()).isEqualTo("X-API-Key");
  }

  @Test
  void theAgentGuideIsPlainTextWithTheEssentials() {
    Response guide = get("/agent-guide");
    assertThat(guide.status()).isEqualTo(200);
    assertThat(guide.header("Content-Type")).isEqualTo(TEXT);
    assertThat(guide.body()).contains("X-API-Key", "POST /v1/channels", "24 hours", "/v1/agents/me/inbox").doesNotContain("{{");
  }

  @Test
  void llmsTxtPointsAgentsAtTheRightPlaces() {
    Response llms = get("/llms.txt");
    assertThat(llms.status()).isEqualTo(200);
    assertThat(llms.header("Content-Type")).isEqualTo(TEXT);
    assertThat(llms.body()).contains("Backchannel", "/agent-guide", "/openapi.json", "sandbox", base(),
        "/v1/agents/me/inbox", "/v1/mentions/stream")
        .doesNotContain("{{");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ai-manifest.json", "/.well-known/ai-manifest.json"})
  void theManifestDescribesTheService(String path) {
    Response manifest = get(path);
    assertThat(manifest.status()).isEqualTo(200);
    JsonNode m = manifest.json();
    assertThat(m.get("name").asText()).isEqualTo("Backchannel");
    assertThat(m.get("api_version").asText()).isEqualTo("1.0");
    assertThat(m.has("version")).isFalse();
    assertThat(m.get("base_url").asText()).isEqualTo(base());
    assertThat(m.get("openapi_url").asText()).isEqualTo(base() + "/openapi.json");
    assertThat(m.get("agent_guide_url").asText()).isEqualTo(base() + "/agent-guide");
    assertThat(m.get("llms_txt_url").asText()).isEqualTo(base() + "/llms.txt");
    JsonNode auth = m.get("auth");
    for (String field : List.of("type", "obtain_url", "obtain_description", "public_minting_enabled")) {
      assertThat(auth.has(field)).as(field).isTrue();
    }
    assertThat(auth.get("header").asText()).isEqualTo("X-API-Key");
    assertThat(m.get("transports").has("http")).isTrue();
    assertThat(m.get("transports").has("mcp")).isTrue();
    assertThat(m.get("capabilities").isArray()).isTrue();
    assertThat(m.get("claim_guarantees").isObject()).isTrue();
    assertThat(m.get("supported_frameworks").isArray()).isTrue();
    for (String field : List.of("recommended_system_prompt_snippet", "tagline", "description")) {
      assertThat(m.get(field).asText()).as(field).isNotBlank();
    }
  }

  @Test
  void theBackchannelWellKnownRedirectsToTheManifest() {
    Response redirect = get("/.well-known/backchannel.json");
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("/.well-known/ai-manifest.json");
  }

  @Test
  void thePluginManifestPointsAtTheOpenApiDescription() {
    JsonNode plugin = get("/.well-known/ai-plugin.json").json();
    assertThat(plugin.get("schema_version").asText()).isNotBlank();
    assertThat(plugin.get("name_for_model").asText()).isNotBlank();
    assertThat(plugin.get("api").get("url").asText()).isEqualTo(base() + "/openapi.json");
  }

  @Test
  void theAgentPolicyStatesLimitsAndGuarantees() {
    JsonNode policy = get("/.well-known/agent-policy.json").json();
    for (String field : List.of("requests_per_window", "window_seconds", "note")) {
      assertThat(policy.get("rate_limit").has(field)).as(field).isTrue();
    }
    for (String field : List.of("on_429", "retry_after_header", "idempotency_key_supported")) {
      assertThat(policy.get("retry_guidance").has(field)).as(field).isTrue();
    }
    assertThat(policy.get("message_ttl_hours").asInt()).isEqualTo(24);
    assertThat(policy.get("max_content_bytes").asInt()).isEqualTo(10_000);
    assertThat(policy.get("claim_guarantee").asText()).isEqualTo("exactly_once");
    assertThat(policy.get("instance_kind").asText()).isEqualTo("self-hosted");
  }

  @ParameterizedTest
  @CsvSource({"protocol,# Backchannel Protocol", "roadmap,## Non-Goals", "auth-integration,#", "sla,#",
      "reliability,#", "errors,#", "invitations-flow,#"})
  void everyPublishedDocIsMarkdown(String doc, String expected) {
    Response response = get("/docs/" + doc + ".md");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo(MARKDOWN);
    assertThat(response.body()).contains(expected).doesNotContain("{{");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs/nope.md", "/docs/protocol", "/docs/api.md", "/docs/..%2Fopenapi.json",
      "/docs/architecture.md"})
  void otherDocsAreNotFound(String path) {
    Response response = get(path);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.error()).isEqualTo("not_found");
  }

  @ParameterizedTest
  @CsvSource({"/docs/playground,text/html; charset=utf-8", "/,text/html; charset=utf-8",
      "/humans,text/html; charset=utf-8", "/humans.js,application/javascript; charset=utf-8",
      "/robots.txt,text/plain; charset=utf-8", "/first-success-prompt.txt,text/plain; charset=utf-8"})
  void pagesAndTextsHaveTheirContentTypes(String path, String contentType) {
    Response response = get(path);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo(contentType);
    assertThat(response.body()).isNotBlank().doesNotContain("{{");
  }

  @Test
  void theLandingPageMentionsTheBasics() {
    Response landing = get("/");
    assertThat(landing.body()).contains("Backchannel", "claimable", "/v1/keys", "sandbox");
  }

  @Test
  void thePlaygroundLoadsTheOpenApiDescription() {
    assertThat(get("/docs/playground").body()).contains("/openapi.json");
  }

  @Test
  void theRepoRoutesRedirectToTheSourceRepository() {
    Response repo = get("/repo");
    assertThat(repo.status()).isEqualTo(302);
    assertThat(repo.header("Location")).startsWith("https://github.com/");
    Response file = get("/repo/blob/main/README.md");
    assertThat(file.status()).isEqualTo(302);
    assertThat(file.header("Location")).isEqualTo(repo.header("Location") + "/blob/main/README.md");
  }

  @Test
  void metricsUseRouteTemplatesNeverRawIds() {
    String key = newKey();
    String channel = broadcastChannel(key);
    api.get("/v1/channels/" + channel).key(key).send();
    get("/health");

    Response metrics = get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
    assertThat(metrics.body()).contains("# TYPE backchannel_requests_total counter", "path=\"/health\"",
        "path=\"/v1/channels/{id}\"", "backchannel_request_duration_seconds").doesNotContain(channel);
  }

  @Test
  void publicRoutesNeedNoKeyAndIgnoreABadOne() {
    assertThat(api.get("/health").key("bck_bogus.key").send().status()).isEqualTo(200);
    assertThat(api.get("/llms.txt").key("garbage").send().status()).isEqualTo(200);
  }
}
