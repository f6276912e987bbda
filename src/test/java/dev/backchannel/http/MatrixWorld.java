package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import java.util.UUID;

/**
 * The fresh little world one cell of the authorization matrix runs in: keys, a channel (open or
 * restricted, claimable) and whatever a route needs, each created on first use, so cells never
 * see each other's changes and can run in parallel.
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

  private record Key(String raw, String id) {}

  private final ApiClient api;
  private final String adminToken;
  final Kind kind;
  private Key owner;
  private Key member;
  private String channelId;
  private String messageId;

  MatrixWorld(ApiClient api, String adminToken, Kind kind) {
    this.api = api;
    this.adminToken = adminToken;
    this.kind = kind;
  }

  /** The request with the credentials of {@code who}. */
  Call as(Who who, Call call) {
    switch (who) {
      case OWNER -> call.key(owner().raw());
      case MEMBER -> call.key(member().raw());
      case STRANGER -> call.key(mint().raw());
      case REVOKED -> call.key(revoked());
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

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  String memberKeyId() {
    return member().id();
  }

  /** A claimable channel of the world's kind, created by the owner, with the member added. */
  String channel() {
    if (channelId == null) {
      String access = kind == Kind.RESTRICTED ? "restricted" : "open";
      channelId = created(ownerCall(api.post("/v1/channels",
          json("name", "matrix", "mode", "claimable", "access", access))), 201).text("id");
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
    return created(api.post(channelPath() + "/invitations", json()).key(member().raw()), 201).text("id");
  }

  /** A pending access request by another key; open channels have none, so an unknown id. */
  String pendingRequest() {
    String path = channelPath();
    if (kind != Kind.RESTRICTED) {
      return UUID.randomUUID().toString();
    }
    return created(api.post(path + "/access-requests", json("reason", "let me in")).key(mint().raw()), 202)
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

  String session() {
    return created(ownerCall(api.post("/v1/sessions", json("name", "matrix"))), 201).text("id");
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
    return call.key(owner().raw());
  }

  private Key owner() {
    if (owner == null) {
      owner = mint();
    }
    return owner;
  }

  private Key member() {
    if (member == null) {
      member = mint();
    }
    return member;
  }

  private Key mint() {
    Response minted = created(api.post("/v1/keys", json("agent_label", unique("matrix"))), 201);
    return new Key(minted.text("key"), minted.text("key_id"));
  }

  private String revoked() {
    Key key = mint();
    created(api.delete("/v1/keys/me").key(key.raw()), 200);
    return key.raw();
  }

  private static Response created(Call call, int expected) {
    Response response = call.send();
    if (response.status() != expected) {
      throw new IllegalStateException("setting up the cell failed: " + response);
    }
    return response;
  }
}
