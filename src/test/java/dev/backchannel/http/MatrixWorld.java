package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import java.util.UUID;

/**
 * The little world one cell of the authorization matrix runs in: a fresh channel (open or
 * restricted, claimable) and whatever else the route needs, each created on first use, so cells
 * never see each other's changes and can run in parallel. Keys come from a {@link Keys} set; since
 * identical bodies from one key replay (automatic idempotency), every fixture body is unique.
 */
final class MatrixWorld {
  /** Who sends the request. */
  enum Who {
    OWNER, MEMBER, STRANGER, REVOKED, NO_KEY, MALFORMED, ADMIN
  }

  /** The channel the cell acts on; {@code NONE} for routes that involve no channel. */
  enum Kind {
    OPEN, RESTRICTED, NONE
  }

  record Key(String raw, String id) {}

  /**
   * The keys the callers use, minted on first use. Cells share one set unless their route
   * changes the calling key itself (revocation, scopes).
   */
  static final class Keys {
    private final ApiClient api;
    private Key owner;
    private Key member;
    private Key stranger;
    private String revoked;

    Keys(ApiClient api) {
      this.api = api;
    }

    synchronized Key owner() {
      return owner = owner != null ? owner : mint(api);
    }

    synchronized Key member() {
      return member = member != null ? member : mint(api);
    }

    synchronized Key stranger() {
      return stranger = stranger != null ? stranger : mint(api);
    }

    synchronized String revoked() {
      if (revoked == null) {
        Key key = mint(api);
        created(api.delete("/v1/keys/me").key(key.raw()), 200);
        revoked = key.raw();
      }
      return revoked;
    }
  }

  private final ApiClient api;
  private final String adminToken;
  private final Keys keys;
  final Kind kind;
  private String channelId;
  private String messageId;

  MatrixWorld(ApiClient api, String adminToken, Kind kind, Keys keys) {
    this.api = api;
    this.adminToken = adminToken;
    this.kind = kind;
    this.keys = keys;
  }

  /** The request with the credentials of {@code who}. */
  Call as(Who who, Call call) {
    switch (who) {
      case OWNER -> call.key(keys.owner().raw());
      case MEMBER -> call.key(keys.member().raw());
      case STRANGER -> call.key(keys.stranger().raw());
      case REVOKED -> call.key(keys.revoked());
      case MALFORMED -> call.key("bck_malformed-without-a-dot");
      case ADMIN -> call.header("X-Admin-Token", adminToken);
      case NO_KEY -> { }
      default -> throw new IllegalArgumentException(who.name());
    }
    return call;
  }

  Call get(String path) {
    return api.get(path);
  }

  Call post(String path, Object body) {
    return api.post(path, body);
  }

  Call post(String path) {
    return api.post(path);
  }

  Call patch(String path, Object body) {
    return api.patch(path, body);
  }

  Call put(String path, Object body) {
    return api.put(path, body);
  }

  Call delete(String path) {
    return api.delete(path);
  }

  Call method(String method, String path, Object body) {
    return api.method(method, path, body);
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  String memberKeyId() {
    return keys.member().id();
  }

  /** A claimable channel of the world's kind, created by the owner, with the member added. */
  String channel() {
    if (channelId == null) {
      String access = kind == Kind.RESTRICTED ? "restricted" : "open";
      channelId = created(ownerCall(api.post("/v1/channels",
          json("name", unique("matrix"), "mode", "claimable", "access", access))), 201).text("id");
      created(ownerCall(api.post("/v1/channels/" + channelId + "/members", json("key_id", memberKeyId()))), 201);
    }
    return channelId;
  }

  String channelPath() {
    return "/v1/channels/" + channel();
  }

  /** An unclaimed message posted by the owner. */
  String message() {
    if (messageId == null) {
      messageId = created(ownerCall(api.post(channelPath() + "/messages", json("content", unique("task")))), 201)
          .json().get("message").get("id").asText();
    }
    return messageId;
  }

  /** A message the owner has claimed (no lease). */
  String claimedMessage() {
    created(ownerCall(api.post("/v1/messages/" + message() + "/claim", json())), 200);
    return messageId;
  }

  /** A lease the owner holds. */
  String leaseToken() {
    return created(ownerCall(api.post("/v1/messages/" + message() + "/claim-with-lease", json())), 200)
        .text("lease_token");
  }

  /** An invitation to the channel created by the member (not the owner). */
  String invitationByMember() {
    return created(api.post(channelPath() + "/invitations", json()).key(keys.member().raw()), 201).text("id");
  }

  /** A pending access request by another key; open channels have none, so an unknown id. */
  String pendingRequest() {
    String path = channelPath();
    if (kind != Kind.RESTRICTED) {
      return UUID.randomUUID().toString();
    }
    return created(api.post(path + "/access-requests", json("reason", "let me in")).key(mint(api).raw()), 202)
        .text("request_id");
  }

  String actor() {
    return created(ownerCall(api.post("/v1/actors", json("name", unique("actor")))), 201).text("id");
  }

  String actorWithWebhook() {
    String actor = actor();
    created(ownerCall(api.post("/v1/actors/" + actor + "/webhook", json("url", "http://127.0.0.1:9/hook"))), 200);
    return actor;
  }

  /** A mention of one of the owner's actors, in the world's channel. */
  String mention() {
    String actor = actor();
    String posted = created(ownerCall(api.post(channelPath() + "/messages",
        json("content", unique("ping"), "mentions", java.util.List.of(actor)))), 201)
        .json().get("message").get("id").asText();
    for (var item : created(ownerCall(api.get("/v1/mentions?limit=100")), 200).json().get("data")) {
      if (item.get("message").get("id").asText().equals(posted)) {
        return item.get("mention").get("id").asText();
      }
    }
    throw new IllegalStateException("the mention did not reach the owner's inbox");
  }

  String session() {
    return created(ownerCall(api.post("/v1/sessions", json("name", unique("matrix")))), 201).text("id");
  }

  /** A task posted with a result channel, by the owner. */
  String task() {
    return created(ownerCall(api.post("/v1/tasks/post-with-result",
        json("channel", "matrix-work", "content", unique("task")))), 201).json().get("message").get("id").asText();
  }

  String taskWithResult() {
    String task = task();
    created(ownerCall(api.post("/v1/tasks/" + task + "/result", json("content", "done"))), 201);
    return task;
  }

  private Call ownerCall(Call call) {
    return call.key(keys.owner().raw());
  }

  private static Key mint(ApiClient api) {
    Response minted = created(api.post("/v1/keys", json("agent_label", unique("matrix"))), 201);
    return new Key(minted.text("key"), minted.text("key_id"));
  }

  private static Response created(Call call, int expected) {
    Response response = call.send();
    if (response.status() != expected) {
      throw new IllegalStateException("setting up the cell failed: " + response);
    }
    return response;
  }
}
