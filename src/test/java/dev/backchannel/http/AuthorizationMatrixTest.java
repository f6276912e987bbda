package dev.backchannel.http;

import static dev.backchannel.http.MatrixRow.admin;
import static dev.backchannel.http.MatrixRow.keyed;
import static dev.backchannel.http.MatrixRow.open;
import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.http.MatrixWorld.Kind;
import dev.backchannel.http.MatrixWorld.Who;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every route × every kind of caller (channel owner, member, a stranger's key, a revoked key, no
 * key, a malformed key, the admin token alone), on an open and on a restricted channel, with the
 * exact status (and error code) of each cell. A route the server serves without a row here fails
 * the build. Keyed rows list three cells per channel kind, "owner member stranger"; the other
 * callers get 401 unless a row says otherwise. A cell is {@code 200} or {@code 403:forbidden}.
 */
@Timeout(300)
class AuthorizationMatrixTest extends ApiTest {
  private static final String ADMIN_TOKEN = "matrix-admin-token-5d0c1e";
  private static final String CAD = "403:channel_access_denied";
  private static final String FORBIDDEN = "403:forbidden";
  private static final String ACTOR_FORBIDDEN = "403:actor_forbidden";

  private MatrixWorld.Keys sharedKeys;

  @Override
  protected Map<String, String> settings() {
    return Map.of("admin_token", ADMIN_TOKEN, "sqlite_synchronous", "OFF", "invitation_lookup_limit", "0");
  }

  @BeforeAll
  void mintSharedKeys() {
    sharedKeys = new MatrixWorld.Keys(api);
  }

  static final List<MatrixRow> ROWS = List.of(
      // Public documents and probes: no key needed, a bad one is ignored.
      open("GET /health", w -> w.get("/health"), "200"),
      open("GET /health", w -> w.get("/health?detail=1"), "200"),
      open("GET /health/ready", w -> w.get("/health/ready"), "200"),
      open("GET /status", w -> w.get("/status"), "200"),
      open("GET /status.html", w -> w.get("/status.html"), "200"),
      open("GET /metrics", w -> w.get("/metrics"), "200"),
      open("GET /openapi.json", w -> w.get("/openapi.json"), "200"),
      open("GET /.well-known/openapi.json", w -> w.get("/.well-known/openapi.json"), "200"),
      open("GET /ai-manifest.json", w -> w.get("/ai-manifest.json"), "200"),
      open("GET /.well-known/ai-manifest.json", w -> w.get("/.well-known/ai-manifest.json"), "200"),
      open("GET /.well-known/backchannel.json", w -> w.get("/.well-known/backchannel.json"), "302"),
      open("GET /.well-known/ai-plugin.json", w -> w.get("/.well-known/ai-plugin.json"), "200"),
      open("GET /.well-known/agent-policy.json", w -> w.get("/.well-known/agent-policy.json"), "200"),
      open("GET /llms.txt", w -> w.get("/llms.txt"), "200"),
      open("GET /agent-guide", w -> w.get("/agent-guide"), "200"),
      open("GET /first-success-prompt.txt", w -> w.get("/first-success-prompt.txt"), "200"),
      open("GET /robots.txt", w -> w.get("/robots.txt"), "200"),
      open("GET /docs/playground", w -> w.get("/docs/playground"), "200"),
      open("GET /playground.js", w -> w.get("/playground.js"), "200"),
      open("GET /docs/{doc}", w -> w.get("/docs/protocol.md"), "200"),
      open("GET /", w -> w.get("/"), "200"),
      open("GET /humans", w -> w.get("/humans"), "200"),
      open("GET /humans.js", w -> w.get("/humans.js"), "200"),
      open("GET /repo", w -> w.get("/repo"), "302"),
      open("GET /repo/*", w -> w.get("/repo/src/main.py"), "302"),
      mcpInitialize(),
      open("GET /console", w -> w.get("/console"), "200"),
      open("GET /console/{asset}", w -> w.get("/console/console.js"), "200"),
      open("GET /mcp", w -> w.get("/mcp"), "405:method_not_allowed"),
      open("DELETE /mcp", w -> w.delete("/mcp"), "400:mcp_session_required"),

      // Keys.
      open("POST /v1/keys", w -> w.post("/v1/keys", json("agent_label", MatrixWorld.unique("mint"))), "201"),
      keyed("GET /v1/keys/me", w -> w.get("/v1/keys/me")).any("200 200 200"),
      keyed("DELETE /v1/keys/me", w -> w.delete("/v1/keys/me")).any("200 200 200").freshKeys(),
      keyed("PUT /v1/keys/me/scopes", w -> w.put("/v1/keys/me/scopes", json("scopes", List.of()))).any("200 200 200")
          .freshKeys(),
      admin("POST /v1/admin/keys", w -> w.post("/v1/admin/keys", json("agent_label", MatrixWorld.unique("adm"))),
          "201"),
      admin("POST /v1/admin/minting", w -> w.post("/v1/admin/minting", json("enabled", true)), "200"),
      admin("POST /v1/admin/backup", w -> w.post("/v1/admin/backup", json()), TestServer.onPostgres() ? "501:backup_unsupported" : "201"),

      // Channels.
      keyed("POST /v1/channels", w -> w.post("/v1/channels", json("name", "c", "mode", "broadcast"))).any("201 201 201"),
      keyed("GET /v1/channels", w -> w.get("/v1/channels")).any("200 200 200"),
      keyed("GET /v1/channels/{channel}", w -> w.get(w.channelPath()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("PATCH /v1/channels/{channel}", w -> w.patch(w.channelPath(), json("paused", true)))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("PATCH /v1/channels/{channel}", w -> w.patch(w.channelPath(), json("max_messages", 1)))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("PATCH /v1/channels/{channel}", w -> w.patch(w.channelPath(), json("description", "notes")))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("DELETE /v1/channels/{channel}", w -> w.delete(w.channelPath()))
          .open("204 " + FORBIDDEN + " " + FORBIDDEN).restricted("204 " + FORBIDDEN + " " + CAD),
      keyed("POST /v1/channels/{channel}/aliases",
          w -> w.post(w.channelPath() + "/aliases", json("alias", MatrixWorld.unique("alias"))))
          .open("201 201 201").restricted("201 201 " + CAD),
      keyed("GET /v1/channels/{channel}/metrics", w -> w.get(w.channelPath() + "/metrics"))
          .open("200 200 200").restricted("200 200 " + CAD),
      admin("POST /v1/admin/channels/{channel}/pause", w -> w.post("/v1/admin/channels/" + w.channel() + "/pause"),
          "200").onChannels(),
      admin("POST /v1/admin/channels/{channel}/resume",
          w -> w.post("/v1/admin/channels/" + w.channel() + "/resume"), "200").onChannels(),

      // Members, events, invitations, access requests.
      keyed("GET /v1/channels/{channel}/members", w -> w.get(w.channelPath() + "/members"))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("POST /v1/channels/{channel}/members",
          w -> w.post(w.channelPath() + "/members", json("key_id", "bck_someone000000")))
          .open("201 " + FORBIDDEN + " " + FORBIDDEN).restricted("201 " + FORBIDDEN + " " + CAD),
      keyed("DELETE /v1/channels/{channel}/members/{key_id}",
          w -> w.delete(w.channelPath() + "/members/" + w.memberKeyId()))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("GET /v1/channels/{channel}/events", w -> w.get(w.channelPath() + "/events"))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("POST /v1/channels/{channel}/invitations", w -> w.post(w.channelPath() + "/invitations", json()))
          .open("201 201 201").restricted("201 201 " + CAD),
      keyed("GET /v1/channel-invitations/{invitation_id}",
          w -> w.get("/v1/channel-invitations/" + w.invitationByMember()))
          .open("200 200 200").restricted("200 200 200")
          .caller(Who.NO_KEY, "401:api_key_required").caller(Who.ADMIN, "401:api_key_required"),
      keyed("DELETE /v1/channel-invitations/{invitation_id}",
          w -> w.delete("/v1/channel-invitations/" + w.invitationByMember()))
          .open("200 200 " + FORBIDDEN).restricted("200 200 " + FORBIDDEN),
      keyed("POST /v1/channels/{channel}/access-requests",
          w -> w.post("/v1/channels/" + w.channel() + "/access-requests", json("reason", "please")))
          .open("200 200 200").restricted("200 200 202"),
      keyed("GET /v1/channels/{channel}/access-requests", w -> w.get(w.channelPath() + "/access-requests"))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + FORBIDDEN),
      keyed("POST /v1/channels/{channel}/access-requests/{request_id}/approve",
          w -> w.post(w.channelPath() + "/access-requests/" + w.pendingRequest() + "/approve"))
          .open("404:access_request_not_found " + FORBIDDEN + " " + FORBIDDEN)
          .restricted("200 " + FORBIDDEN + " " + FORBIDDEN),
      keyed("POST /v1/channels/{channel}/access-requests/{request_id}/deny",
          w -> w.post(w.channelPath() + "/access-requests/" + w.pendingRequest() + "/deny"))
          .open("404:access_request_not_found " + FORBIDDEN + " " + FORBIDDEN)
          .restricted("200 " + FORBIDDEN + " " + FORBIDDEN),

      // Messages and the claim lifecycle.
      keyed("POST /v1/channels/{channel}/messages",
          w -> w.post(w.channelPath() + "/messages", json("content", MatrixWorld.unique("hello"))))
          .open("201 201 201").restricted("201 201 " + CAD),
      keyed("GET /v1/channels/{channel}/messages", w -> w.get(w.channelPath() + "/messages?since=0"))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/channels/{channel}/messages",
          w -> w.get(w.channelPath() + "/messages?unread_for=bridge&mark_read=true"))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/channels/{channel}/history", w -> w.get(w.channelPath() + "/history"))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("PATCH /v1/messages/{message_id}",
          w -> w.patch("/v1/messages/" + w.message(), json("content", MatrixWorld.unique("edited"))))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("DELETE /v1/messages/{message_id}", w -> w.delete("/v1/messages/" + w.message()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/messages/{message_id}/claim", w -> w.post("/v1/messages/" + w.message() + "/claim", json()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/messages/{message_id}/claim-with-lease",
          w -> w.post("/v1/messages/" + w.message() + "/claim-with-lease", json()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/leases/{lease_token}/heartbeat",
          w -> w.post("/v1/leases/" + w.leaseToken() + "/heartbeat", json()))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + FORBIDDEN),
      keyed("POST /v1/messages/{message_id}/release",
          w -> w.post("/v1/messages/" + w.claimedMessage() + "/release", json()))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("POST /v1/messages/{message_id}/ack", w -> w.post("/v1/messages/" + w.message() + "/ack", json()))
          .open("200 200 200").restricted("200 200 " + CAD),

      // Work queues: claim-next and redrive follow channel access; nack is the claimer's.
      keyed("POST /v1/channels/{channel}/claim-next", w -> w.post(w.channelPath() + "/claim-next", json()))
          .open("204 204 204").restricted("204 204 " + CAD),
      keyed("POST /v1/messages/{message_id}/nack",
          w -> w.post("/v1/messages/" + w.claimedMessage() + "/nack", json()))
          .open("200 " + FORBIDDEN + " " + FORBIDDEN).restricted("200 " + FORBIDDEN + " " + CAD),
      keyed("POST /v1/channels/{channel}/redrive", w -> w.post(w.channelPath() + "/redrive", json()))
          .open("200 200 200").restricted("200 200 " + CAD),

      // The /v1/tasks verbs.
      keyed("POST /v1/tasks/post", w -> w.post("/v1/tasks/post", json("channel", "jobs", "content", "x")))
          .any("201 201 201"),
      keyed("POST /v1/tasks/claim", w -> w.post("/v1/tasks/claim", json("channel", w.channel())))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/tasks/subscribe", w -> w.post("/v1/tasks/subscribe", json("channel", w.channel())))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/tasks/broadcast",
          w -> w.post("/v1/tasks/broadcast", json("channel", w.channel(), "content", MatrixWorld.unique("b"))))
          .open("201 201 201").restricted("201 201 " + CAD),
      keyed("POST /v1/tasks/claim-and-ack",
          w -> w.post("/v1/tasks/claim-and-ack", json("message_id", w.message())))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/tasks/create-claimable-session",
          w -> w.post("/v1/tasks/create-claimable-session", json("name", "s"))).any("201 201 201"),
      keyed("POST /v1/tasks/post-with-result",
          w -> w.post("/v1/tasks/post-with-result", json("channel", "jobs", "content", "x"))).any("201 201 201"),
      keyed("POST /v1/tasks/{message_id}/result",
          w -> w.post("/v1/tasks/" + w.task() + "/result", json("content", "done"))).any("201 201 201"),
      keyed("GET /v1/tasks/{message_id}/result", w -> w.get("/v1/tasks/" + w.taskWithResult() + "/result"))
          .any("200 200 200"),

      // Actors and mention webhooks: the "owner" owns the actor.
      keyed("POST /v1/actors", w -> w.post("/v1/actors", json("name", "worker"))).any("201 201 201"),
      keyed("GET /v1/actors/{actor}", w -> w.get("/v1/actors/" + w.actor())).any("200 200 200"),
      keyed("POST /v1/actors/{actor}/aliases",
          w -> w.post("/v1/actors/" + w.actor() + "/aliases", json("alias", MatrixWorld.unique("a"))))
          .any("201 201 201"),
      keyed("POST /v1/actors/{actor_id}/webhook",
          w -> w.post("/v1/actors/" + w.actor() + "/webhook", json("url", "https://hooks.example/x")))
          .any("200 " + ACTOR_FORBIDDEN + " " + ACTOR_FORBIDDEN),
      keyed("GET /v1/actors/{actor_id}/webhook", w -> w.get("/v1/actors/" + w.actorWithWebhook() + "/webhook"))
          .any("200 " + ACTOR_FORBIDDEN + " " + ACTOR_FORBIDDEN),
      keyed("DELETE /v1/actors/{actor_id}/webhook",
          w -> w.delete("/v1/actors/" + w.actorWithWebhook() + "/webhook"))
          .any("200 " + ACTOR_FORBIDDEN + " " + ACTOR_FORBIDDEN),

      // Sessions belong to one key: other keys are told it does not exist.
      keyed("GET /v1/sessions", w -> w.get("/v1/sessions")).any("200 200 200"),
      keyed("POST /v1/sessions", w -> w.post("/v1/sessions", json("name", "s"))).any("201 201 201"),
      keyed("GET /v1/sessions/{session_id}", w -> w.get("/v1/sessions/" + w.session()))
          .any("200 404:session_not_found 404:session_not_found"),
      keyed("PATCH /v1/sessions/{session_id}", w -> w.patch("/v1/sessions/" + w.session(), json("state", json("a", 1))))
          .any("200 404:session_not_found 404:session_not_found"),
      keyed("DELETE /v1/sessions/{session_id}", w -> w.delete("/v1/sessions/" + w.session()))
          .any("200 404:session_not_found 404:session_not_found"),

      // Live delivery: streams are checked when they open, then closed.
      keyed("GET /v1/channels/{channel}/stream", w -> w.get(w.channelPath() + "/stream")).streamed()
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/stream", w -> w.get("/v1/stream?channels=" + w.channel())).streamed()
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/keys/me/stream-tokens",
          w -> w.post("/v1/keys/me/stream-tokens", json("channels", List.of(w.channel()), "ttl_seconds", 60)))
          .open("201 201 201").restricted("201 201 " + CAD),

      // Agents: subscriptions and read positions follow channel access; mentions belong to their owner.
      keyed("POST /v1/channels/{channel}/subscribe", w -> w.post(w.channelPath() + "/subscribe", json()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/channels/{channel}/unsubscribe", w -> w.post(w.channelPath() + "/unsubscribe", json()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/channels/{channel}/subscribers", w -> w.get(w.channelPath() + "/subscribers"))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("POST /v1/channels/{channel}/read", w -> w.post(w.channelPath() + "/read", json()))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/channels/{channel}/readers", w -> w.get(w.channelPath() + "/readers"))
          .open("200 200 200").restricted("200 200 " + CAD),
      keyed("GET /v1/mentions", w -> w.get("/v1/mentions")).any("200 200 200"),
      keyed("POST /v1/mentions/ack", w -> w.post("/v1/mentions/ack", json("mention_ids", List.of(w.mention()))))
          .any("200 200 200"),
      keyed("POST /v1/mentions/claim", w -> w.post("/v1/mentions/claim", json("mention_id", w.mention())))
          .any("200 404:mention_not_found 404:mention_not_found"),
      keyed("GET /v1/mentions/claim", w -> w.get("/v1/mentions/claim?mention_id=" + w.mention()))
          .any("200 404:mention_not_found 404:mention_not_found"),
      keyed("DELETE /v1/mentions/claim", w -> w.method("DELETE", "/v1/mentions/claim",
          json("mention_id", w.mention()))).any("200 404:mention_not_found 404:mention_not_found"),
      keyed("GET /v1/agents/me/events", w -> w.get("/v1/agents/me/events")).any("200 200 200"),
      keyed("GET /v1/agents/me/heartbeat", w -> w.get("/v1/agents/me/heartbeat")).any("200 200 200"),
      keyed("GET /v1/agents/me/inbox", w -> w.get("/v1/agents/me/inbox?status=all")).any("200 200 200"),
      keyed("PATCH /v1/agents/me/inbox",
          w -> w.patch("/v1/agents/me/inbox", json("ids", List.of(w.mention()), "status", "seen"))).any("200 200 200"),

      // The same agent routes under the names other servers' clients use.
      keyed("POST /v1/mentions/acknowledge",
          w -> w.post("/v1/mentions/acknowledge", json("mention_ids", List.of(w.mention())))).any("200 200 200"),
      keyed("POST /api/v1/mentions/acknowledge",
          w -> w.post("/api/v1/mentions/acknowledge", json("mention_ids", List.of(w.mention())))).any("200 200 200"),
      keyed("GET /api/v1/mentions", w -> w.get("/api/v1/mentions")).any("200 200 200"),
      keyed("POST /api/v1/mentions/ack",
          w -> w.post("/api/v1/mentions/ack", json("mention_ids", List.of(w.mention())))).any("200 200 200"),
      keyed("GET /api/v1/mentions/claim", w -> w.get("/api/v1/mentions/claim?mention_id=" + w.mention()))
          .any("200 404:mention_not_found 404:mention_not_found"),
      keyed("POST /api/v1/mentions/claim", w -> w.post("/api/v1/mentions/claim", json("mention_id", w.mention())))
          .any("200 404:mention_not_found 404:mention_not_found"),
      keyed("DELETE /api/v1/mentions/claim", w -> w.method("DELETE", "/api/v1/mentions/claim",
          json("mention_id", w.mention()))).any("200 404:mention_not_found 404:mention_not_found"),
      keyed("GET /api/v1/agents/me/inbox", w -> w.get("/api/v1/agents/me/inbox")).any("200 200 200"),
      keyed("PATCH /api/v1/agents/me/inbox",
          w -> w.patch("/api/v1/agents/me/inbox", json("ids", List.of(w.mention()), "status", "seen")))
          .any("200 200 200"),
      keyed("GET /api/v1/agents/me/events", w -> w.get("/api/v1/agents/me/events")).any("200 200 200"),
      keyed("GET /v1/mentions/stream", w -> w.get("/v1/mentions/stream")).streamed().any("200 200 200"),
      keyed("GET /api/v1/mentions/stream", w -> w.get("/api/v1/mentions/stream")).streamed().any("200 200 200"),
      keyed("GET /api/v1/agents/me/heartbeat", w -> w.get("/api/v1/agents/me/heartbeat")).any("200 200 200"),

      // What a key can learn about itself.
      keyed("GET /v1/observability/metrics", w -> w.get("/v1/observability/metrics")).any("200 200 200"),
      keyed("GET /v1/security/audit", w -> w.get("/v1/security/audit")).any("200 200 200"),
      keyed("GET /account/usage", w -> w.get("/account/usage")).any("200 200 200"));

  @Test
  void everyServedRouteHasARowAndEveryRowIsServed() {
    TreeSet<String> served = server.server().routes().stream()
        .map(entry -> entry.method().name() + " " + entry.template())
        .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> covered = ROWS.stream().map(MatrixRow::route).collect(Collectors.toCollection(TreeSet::new));

    TreeSet<String> missing = new TreeSet<>(served);
    missing.removeAll(covered);
    TreeSet<String> stale = new TreeSet<>(covered);
    stale.removeAll(served);
    assertThat(missing).as("served routes without a row in the authorization matrix").isEmpty();
    assertThat(stale).as("matrix rows for routes the server does not serve").isEmpty();
  }

  @Test
  void everyCellAnswersWithItsExpectedStatus() throws Exception {
    List<MatrixRow.Cell> cells = ROWS.stream().flatMap(row -> row.cells().stream()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (MatrixRow.Cell cell : cells) {
        outcomes.add(pool.submit(() -> cell.mismatch(api, ADMIN_TOKEN, sharedKeys)));
      }
      List<String> mismatches = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        String mismatch = outcome.get();
        if (mismatch != null) {
          mismatches.add(mismatch);
        }
      }
      assertThat(mismatches).as("cells of %d that answered otherwise", cells.size()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Anyone may initialize an MCP session, but a key that is sent must be valid. */
  private static MatrixRow mcpInitialize() {
    MatrixRow row = open("POST /mcp", w -> w.post("/mcp", json("jsonrpc", "2.0", "id", 1, "method", "initialize")), "200");
    row.expect(Kind.NONE, Who.REVOKED, "401:unauthorized");
    row.expect(Kind.NONE, Who.MALFORMED, "401:unauthorized");
    return row;
  }
}
