package dev.backchannel.conformance;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Replays, as raw HTTP, the calls the original clients make (contract §7.5, built from §7.1–7.3
 * and §11) and checks every response field they read. Black box: point it at any server with
 * {@code -Dbackchannel.baseUrl=http://host:port} (and {@code -Dbackchannel.adminToken} for the
 * admin calls); without one it boots a test server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CompatibilityConformanceIT {
  private static final String LOCAL_ADMIN_TOKEN = "conformance-admin-token";

  private TestServer local;
  private ApiClient api;
  private String adminToken;

  @BeforeAll
  void connect() {
    String baseUrl = System.getProperty("backchannel.baseUrl");
    if (baseUrl == null || baseUrl.isBlank()) {
      local = TestServer.start(Map.of("admin_token", LOCAL_ADMIN_TOKEN));
      baseUrl = local.baseUrl();
      adminToken = LOCAL_ADMIN_TOKEN;
    } else {
      adminToken = System.getProperty("backchannel.adminToken");
    }
    api = new ApiClient(baseUrl.replaceAll("/+$", ""));
  }

  @AfterAll
  void disconnect() {
    if (local != null) {
      local.close();
    }
  }

  /** How the Python and TypeScript SDKs call: a key and a JSON content type on every request. */
  private Call sdk(Call call, String key) {
    return call.key(key).header("Content-Type", "application/json");
  }

  /** How the MCP client calls: Accept JSON, and an Idempotency-Key of its own on writes. */
  private Call mcp(Call call, String key, String idempotencyKey) {
    Call out = call.key(key).header("Accept", "application/json");
    return idempotencyKey == null ? out : out.header("Idempotency-Key", idempotencyKey);
  }

  private String mint() {
    Response minted = api.post("/v1/keys", json("agent_label", "compat-" + UUID.randomUUID())).send();
    assertThat(minted.status()).as(minted.toString()).isEqualTo(201);
    return minted.text("key");
  }

  private String channel(String key, String mode) {
    Response created = sdk(api.post("/v1/channels", json("name", "compat-" + mode, "mode", mode, "access", "open")),
        key).send();
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static void assertErrorBody(Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().get("error").isTextual()).isTrue();
    assertThat(response.text("error")).isEqualTo(code);
    assertThat(response.json().get("message").isTextual()).isTrue();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // 1. POST /v1/keys

  @Test
  void issueKeyAnswersTheFieldsTheClientsRead() {
    String label = "compat-issue-" + UUID.randomUUID();
    Response minted = api.post("/v1/keys", json("agent_label", label)).header("Content-Type", "application/json")
        .send();
    assertThat(minted.status()).isEqualTo(201);
    assertThat(minted.text("key")).startsWith("bck_");
    assertThat(minted.text("key_id")).isNotBlank();
    assertThat(minted.json().has("expires_at")).isTrue();
    assertThat(minted.json().get("expires_at").isNull()).isTrue();
    assertThat(minted.text("agent_label")).isEqualTo(label);
    assertThat(minted.json().path("tier").asInt(0)).isZero();
    assertErrorBody(api.post("/v1/keys", json("agent_label", label)).send(), 409, "label_in_use");
  }

  // 2. Admin calls with X-Admin-Token, and 1. 403 minting_closed

  @Test
  void adminCallsCarryOnlyTheAdminToken() {
    assumeTrue(adminToken != null && !adminToken.isBlank(), "no -Dbackchannel.adminToken for this server");
    String label = "compat-admin-" + UUID.randomUUID();
    Response issued = api.post("/v1/admin/keys", json("agent_label", label)).header("X-Admin-Token", adminToken)
        .header("Content-Type", "application/json").send();
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.text("key")).startsWith("bck_");

    Response closed = api.post("/v1/admin/minting", json("enabled", false)).header("X-Admin-Token", adminToken).send();
    try {
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.json().get("public_minting_enabled").asBoolean()).isFalse();
      assertErrorBody(api.post("/v1/keys", json("agent_label", "compat-closed-" + UUID.randomUUID())).send(), 403,
          "minting_closed");
    } finally {
      Response opened = api.post("/v1/admin/minting", json("enabled", true)).header("X-Admin-Token", adminToken)
          .send();
      assertThat(opened.json().get("public_minting_enabled").asBoolean()).isTrue();
    }
  }

  // 3. POST /v1/channels, 4. GET channels

  @Test
  void createChannelTakesEverythingTheClientsSendAndHonoursTheirIdempotencyKeys() {
    String key = mint();
    Response full = sdk(api.post("/v1/channels", json("name", "compat full", "mode", "claimable", "access", "open",
        "description", "made by an SDK", "discoverable", true, "webhook_url", "https://example.com/hook",
        "webhook_secret", "s", "metadata_schema", Map.of("type", "object"), "ttl_seconds", 3600)), key).send();
    assertThat(full.status()).as(full.toString()).isEqualTo(201);
    assertThat(full.text("id")).isNotBlank();
    for (String field : List.of("id", "name", "mode", "access", "discoverable", "description", "created_at",
        "updated_at")) {
      assertThat(full.json().has(field)).as(field).isTrue();
    }

    String idem = "create-channel-" + UUID.randomUUID();
    Response first = mcp(api.post("/v1/channels", json("name", "compat-mcp", "mode", "claimable", "access", "open")),
        key, idem).send();
    Response again = mcp(api.post("/v1/channels", json("name", "compat-mcp", "mode", "claimable", "access", "open")),
        key, idem).send();
    assertThat(again.text("id")).isEqualTo(first.text("id"));
    Response duplicateName = mcp(api.post("/v1/channels", json("name", "compat-mcp", "mode", "claimable",
        "access", "open")), key, "create-channel-" + UUID.randomUUID()).send();
    assertThat(duplicateName.status()).isIn(201, 409);
  }

  @Test
  void channelsResolveByIdAliasAndOwnNameAndDiscoveryPages() {
    String key = mint();
    String id = channel(key, "claimable");
    String alias = "compat-" + UUID.randomUUID();
    assertThat(sdk(api.post("/v1/channels/" + id + "/aliases", json("alias", alias)), key).send().status())
        .isEqualTo(201);
    String name = "compat named " + UUID.randomUUID();
    String named = sdk(api.post("/v1/channels", json("name", name, "mode", "broadcast", "access", "open")), key)
        .send().text("id");

    assertThat(sdk(api.get("/v1/channels/" + id), key).send().text("id")).isEqualTo(id);
    assertThat(sdk(api.get("/v1/channels/" + alias), key).send().text("id")).isEqualTo(id);
    assertThat(sdk(api.get("/v1/channels/" + name.replace(" ", "%20")), key).send().text("id")).isEqualTo(named);

    Response page = mcp(api.get("/v1/channels?limit=1"), key, null).send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().get("data").isArray()).isTrue();
    assertThat(page.json().get("data").get(0).has("is_member")).isTrue();
    assertThat(page.json().has("next_cursor")).isTrue();
    Response next = sdk(api.get("/v1/channels?limit=1&cursor=" + encode(page.text("next_cursor"))), key).send();
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().get("data").isArray()).isTrue();
  }

  // 5. Access requests

  @Test
  void accessRequestsAnswerPendingOpenOrAlreadyMember() {
    String owner = mint();
    String requester = mint();
    String lobby = sdk(api.post("/v1/channels", json("name", "compat-lobby", "mode", "claimable", "access",
        "restricted", "discoverable", true)), owner).send().text("id");
    Response pending = sdk(api.post("/v1/channels/" + lobby + "/access-requests", json("reason", "")), requester)
        .send();
    assertThat(pending.status()).isEqualTo(202);
    assertThat(pending.text("status")).isEqualTo("pending");
    assertThat(pending.text("request_id")).isNotBlank();
    Response open = sdk(api.post("/v1/channels/" + channel(owner, "broadcast") + "/access-requests",
        json("reason", "")), requester).send();
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.text("status")).isEqualTo("open");
    Response member = sdk(api.post("/v1/channels/" + lobby + "/access-requests", json("reason", "mine")), owner)
        .send();
    assertThat(member.status()).isEqualTo(200);
    assertThat(member.text("status")).isEqualTo("already_member");
  }

  // 6. Actors and actor webhooks

  @Test
  void ensureActorReplaysTheSameActorAndWebhooksTakeANullSecret() {
    String key = mint();
    String name = "compat-actor-" + UUID.randomUUID();
    Response first = mcp(api.post("/v1/actors", json("name", name)), key, "actor-" + name).send();
    Response again = mcp(api.post("/v1/actors", json("name", name)), key, "actor-" + name).send();
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.text("id")).isNotBlank();
    assertThat(again.text("id")).isEqualTo(first.text("id"));

    Response hook = sdk(api.post("/v1/actors/" + first.text("id") + "/webhook",
        json("url", "https://example.com/mentions", "secret", null)), key).send();
    assertThat(hook.status()).isEqualTo(200);
    Response withSecret = sdk(api.post("/v1/actors/" + first.text("id") + "/webhook",
        json("url", "https://example.com/mentions", "secret", "shh")), key).send();
    assertThat(withSecret.status()).isEqualTo(200);
  }

  // 7. Post, 8. list, 9. claim, 10. ack

  @Test
  void theMessageLifecycleAsTheSdksDriveIt() {
    String key = mint();
    String worker = mint();
    String channel = channel(key, "claimable");
    String actor = sdk(api.post("/v1/actors", json("name", "compat-worker")), worker).send().text("id");

    Response posted = sdk(api.post("/v1/channels/" + channel + "/messages", json("content", "do the thing",
        "actor_label", "planner", "metadata", Map.of("priority", 1), "mentions", List.of(actor))), key).send();
    assertThat(posted.status()).isEqualTo(201);
    JsonNode message = posted.json().get("message");
    String id = message.get("id").asText();
    assertThat(posted.text("next_cursor")).isEqualTo(message.get("created_at").asText());
    Response mcpPost = mcp(api.post("/v1/channels/" + channel + "/messages", json("content", "second")), key,
        "post-" + UUID.randomUUID()).send();
    assertThat(mcpPost.json().get("message").get("id").asText()).isNotBlank();

    Response page = sdk(api.get("/v1/channels/" + channel + "/messages?limit=50&since=0&wait=1.5"), key).send();
    assertThat(page.status()).isEqualTo(200);
    JsonNode data = page.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("id").asText()).isEqualTo(id);
    assertThat(data.get(0).get("acknowledged_by").isArray()).isTrue();
    assertThat(page.json().get("limit").asInt()).isEqualTo(50);
    assertThat(page.text("next_cursor")).isEqualTo(data.get(1).get("created_at").asText());
    String encodedCursor = page.text("next_cursor").replace(":", "%3A").replace("+", "%2B");
    Response empty = sdk(api.get("/v1/channels/" + channel + "/messages?limit=50&since=" + encodedCursor), key).send();
    assertThat(empty.json().get("data")).isEmpty();
    assertThat(empty.text("next_cursor")).isEqualTo(page.text("next_cursor"));
    Response after = sdk(api.get("/v1/channels/" + channel + "/messages?limit=50&since="
        + encode(message.get("created_at").asText())), key).send();
    assertThat(after.json().get("data")).hasSize(1);

    String claimKey = "claim-" + id + "-compat-worker";
    Response claimed = mcp(api.post("/v1/messages/" + id + "/claim", json("actor", actor)), worker, claimKey).send();
    assertThat(claimed.status()).isEqualTo(200);
    assertThat(claimed.text("status")).isEqualTo("claimed");
    assertThat(claimed.json().get("message").get("id").asText()).isEqualTo(id);
    Response replayed = mcp(api.post("/v1/messages/" + id + "/claim", json("actor", actor)), worker, claimKey).send();
    assertThat(replayed.text("status")).isEqualTo("claimed");
    Response byName = sdk(api.post("/v1/messages/" + id + "/claim", json("actor", "compat-worker")), worker).send();
    assertThat(byName.text("status")).isEqualTo("already_claimed");
    assertErrorBody(sdk(api.post("/v1/messages/" + id + "/claim", json("actor", "someone-else")), key).send(), 409,
        "already_claimed");

    Response acked = sdk(api.post("/v1/messages/" + id + "/ack", json("actor", actor)), worker).send();
    assertThat(acked.status()).isEqualTo(200);
    assertThat(acked.text("status")).isEqualTo("acknowledged");
    assertThat(acked.json().get("message").get("acknowledged_by")).isNotEmpty();
    Response ackedAgain = sdk(api.post("/v1/messages/" + id + "/ack", json("actor", actor)), worker).send();
    assertThat(ackedAgain.text("status")).isEqualTo("already_acknowledged");

    String unclaimed = mcpPost.json().get("message").get("id").asText();
    Response ackWithoutClaim = mcp(api.post("/v1/messages/" + unclaimed + "/ack", json("actor", "reviewer")), key,
        "ack-" + unclaimed + "-reviewer").send();
    assertThat(ackWithoutClaim.text("status")).isEqualTo("acknowledged");
    JsonNode listed = sdk(api.get("/v1/channels/" + channel + "/messages?limit=100"), key).send().json().get("data");
    assertThat(listed.get(1).get("acknowledged_by")).isNotEmpty();
  }

  @Test
  void messagesCanBePostedAndReadByChannelName() {
    String key = mint();
    String name = "compat-by-name-" + UUID.randomUUID();
    sdk(api.post("/v1/channels", json("name", name, "mode", "claimable", "access", "open")), key).send();
    Response posted = sdk(api.post("/v1/channels/" + name + "/messages", json("content", "by name")), key).send();
    assertThat(posted.status()).isEqualTo(201);
    Response page = mcp(api.get("/v1/channels/" + name + "/messages?limit=20"), key, null).send();
    assertThat(page.json().get("data").get(0).get("id").asText())
        .isEqualTo(posted.json().get("message").get("id").asText());
  }

  // 11. Sessions

  @Test
  void sessionsAsTheSdksUseThem() {
    String key = mint();
    Response created = sdk(api.post("/v1/sessions", json("name", "compat", "state", Map.of("step", 1))), key).send();
    assertThat(created.status()).isEqualTo(201);
    String id = created.text("id");
    assertThat(sdk(api.post("/v1/sessions", json("name", "no state")), key).send().status()).isEqualTo(201);
    assertThat(sdk(api.get("/v1/sessions/" + id), key).send().json().get("state").get("step").asInt()).isEqualTo(1);
    Response patched = sdk(api.patch("/v1/sessions/" + id, json("state", Map.of("done", true))), key).send();
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("state").get("step").asInt()).isEqualTo(1);
    assertThat(patched.json().get("state").get("done").asBoolean()).isTrue();
    int deleted = sdk(api.delete("/v1/sessions/" + id), key).send().status();
    assertThat(deleted).isBetween(200, 299);
  }

  // 12. Errors, 13. keys/me

  @Test
  void errorsCarryTopLevelErrorMessageAndDocumentationUrl() {
    String key = mint();
    Response missing = sdk(api.get("/v1/channels/compat-missing-" + UUID.randomUUID()), key).send();
    assertErrorBody(missing, 404, "channel_not_found");
    assertThat(missing.text("documentation_url")).startsWith("http");
    assertErrorBody(api.get("/v1/keys/me").send(), 401, "unauthorized");
  }

  @Test
  void keysMeDescribesTheKey() {
    String key = mint();
    Response me = mcp(api.get("/v1/keys/me"), key, null).send();
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text("key_id")).isEqualTo(key.substring(0, key.indexOf('.')));
    for (String field : List.of("owner_id", "plan", "active", "scopes", "rate_limit", "rate_limit_window_seconds")) {
      assertThat(me.json().has(field)).as(field).isTrue();
    }
  }
}
