package dev.backchannel.mcp;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.mcp.Loopback.Reply;
import dev.backchannel.mcp.Loopback.Target;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * What each tool does, as calls to the REST routes (the same routes, bodies and idempotency keys
 * the stand-alone MCP server uses). A REST error comes back as the tool's error result.
 */
public final class ToolCalls {
  /** Tools whose call can wait, and so may answer as an event stream. */
  public static final Set<String> WAITING = Set.of("await_result", "wait_for_messages", "claim_next", "inbox");
  static final double DEFAULT_AWAIT_SECONDS = 60;
  static final double DEFAULT_LONG_POLL_SECONDS = 25;
  private static final long FIRST_POLL_MILLIS = 200;
  private static final long MAX_POLL_MILLIS = 2_000;

  private final Vertx vertx;
  private final Loopback loopback;

  public ToolCalls(Vertx vertx, Loopback loopback) {
    this.vertx = vertx;
    this.loopback = loopback;
  }

  /** Told about a waiting call's progress; {@code active()} turns false once the caller has gone. */
  public interface Waiting {
    boolean active();

    void progress(String message);
  }

  Future<Reply> call(String tool, ObjectNode args, Target target, Waiting waiting) {
    return switch (tool) {
      case "post_task" -> post(target, "/v1/tasks/post", args).map(reply -> posted(reply, args));
      case "broadcast" -> broadcast(target, args);
      case "claim_task" -> send(target, POST, "/v1/tasks/claim", args, null, 0).map(ToolCalls::claimedTask);
      case "subscribe" -> send(target, GET, "/v1/channels/" + segment(args, "channel") + "/messages"
          + query(args, "since", "limit"), null, null, 0);
      case "await_result" -> awaitResult(target, args, waiting);
      case "list_channels" -> send(target, GET, "/v1/channels" + query(args, "limit", "cursor"), null, null, 0);
      case "request_access" -> send(target, POST, "/v1/channels/" + segment(args, "channel") + "/access-requests",
          without(args, "channel"), null, 0);
      case "issue_key" -> send(target, POST, "/v1/keys", args, null, 0);
      case "claim_next" -> claimNext(target, args);
      case "ack_task" -> messageVerb(target, args, "ack");
      case "release_task" -> messageVerb(target, args, "release");
      case "nack_task" -> messageVerb(target, args, "nack");
      case "heartbeat" -> send(target, POST, "/v1/leases/" + segment(args, "lease_token") + "/heartbeat",
          without(args, "lease_token"), null, 0);
      case "wait_for_messages" -> waitForMessages(target, args);
      case "inbox" -> send(target, GET, "/v1/agents/me/events" + query(args, "since", "wait"), null, null,
          waitMillis(args, 0));
      case "mentions" -> send(target, GET, "/v1/mentions" + query(args, "since", "limit"), null, null, 0);
      default -> throw new IllegalArgumentException(tool);
    };
  }

  /** Each call posts anew, as the stand-alone server does: an explicit key per call. */
  private Future<Reply> post(Target target, String path, ObjectNode args) {
    return send(target, POST, path, args, "mcp-post-" + UUID.randomUUID(), 0);
  }

  /** A new broadcast channel of that name, then the message on it (as the stand-alone server does). */
  private Future<Reply> broadcast(Target target, ObjectNode args) {
    ObjectNode channel = Loopback.JSON.createObjectNode();
    channel.put("name", args.get("channel").asText());
    channel.put("mode", "broadcast");
    channel.put("access", "open");
    return send(target, POST, "/v1/channels", channel, "create-channel-" + UUID.randomUUID(), 0).compose(created -> {
      if (!created.ok()) {
        return Future.succeededFuture(created);
      }
      String id = created.body().path("id").asText();
      ObjectNode message = without(args, "channel");
      message.put("channel", id);
      return post(target, "/v1/channels/" + encode(id) + "/messages", without(args, "channel"))
          .map(reply -> posted(reply, message));
    });
  }

  /** The stand-alone server's answer to a post: {@code {channel, message_id, envelope}}. */
  private static Reply posted(Reply reply, ObjectNode args) {
    if (!reply.ok()) {
      return reply;
    }
    ObjectNode out = Loopback.JSON.createObjectNode();
    out.put("channel", reply.body().path("channel").asText(args.get("channel").asText()));
    out.put("message_id", reply.body().path("message").path("id").asText());
    out.set("envelope", reply.body());
    return new Reply(reply.status(), out);
  }

  /** The stand-alone server's claim_task answer: {@code {claimed: {status, message}, message}} or nulls. */
  private static Reply claimedTask(Reply reply) {
    JsonNode message = reply.body().get("claimed");
    if (!reply.ok() || message == null) {
      return reply;
    }
    ObjectNode out = Loopback.JSON.createObjectNode();
    if (message.isNull()) {
      out.putNull("claimed");
      out.putNull("message");
      out.put("note", reply.body().path("note").asText());
    } else {
      out.putObject("claimed").put("status", "claimed").set("message", message);
      out.set("message", message);
    }
    return new Reply(reply.status(), out);
  }

  private Future<Reply> messageVerb(Target target, ObjectNode args, String verb) {
    return send(target, POST, "/v1/messages/" + segment(args, "message_id") + "/" + verb,
        without(args, "message_id"), null, 0);
  }

  private Future<Reply> claimNext(Target target, ObjectNode args) {
    return send(target, POST, "/v1/channels/" + segment(args, "channel") + "/claim-next", without(args, "channel"),
        null, waitMillis(args, 0)).map(reply -> {
          if (reply.status() != 204) {
            return reply;
          }
          ObjectNode none = Loopback.JSON.createObjectNode();
          none.putNull("claimed");
          none.put("note", "no message is available to claim");
          return new Reply(200, none);
        });
  }

  private Future<Reply> waitForMessages(Target target, ObjectNode args) {
    ObjectNode query = args.deepCopy();
    if (!query.has("wait")) {
      query.put("wait", DEFAULT_LONG_POLL_SECONDS);
    }
    if (!query.has("since")) {
      query.put("since", "0");
    }
    return send(target, GET, "/v1/channels/" + segment(args, "channel") + "/messages"
        + query(query, "since", "wait", "limit"), null, null, waitMillis(query, 0));
  }

  /** Polls the channel until the message carries an acknowledgement, with a growing pause, up to the timeout. */
  private Future<Reply> awaitResult(Target target, ObjectNode args, Waiting waiting) {
    double seconds = args.hasNonNull("timeout_seconds") ? args.get("timeout_seconds").asDouble() : DEFAULT_AWAIT_SECONDS;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    String uri = "/v1/channels/" + segment(args, "channel") + "/messages?since=0&limit=100";
    Promise<Reply> done = Promise.promise();
    poll(target, uri, args.get("message_id").asText(), deadline, FIRST_POLL_MILLIS, waiting, done);
    return done.future();
  }

  private void poll(Target target, String uri, String messageId, long deadline, long pause, Waiting waiting,
      Promise<Reply> done) {
    send(target, GET, uri, null, null, 0).onFailure(done::fail).onSuccess(reply -> {
      if (!reply.ok()) {
        done.complete(reply);
        return;
      }
      JsonNode message = find(reply.body().path("data"), messageId);
      boolean acked = message != null && message.path("acknowledged_by").size() > 0;
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (acked || left <= 0 || !waiting.active()) {
        ObjectNode out = Loopback.JSON.createObjectNode();
        out.put("status", acked ? "acknowledged" : "timeout");
        out.set("message", message);
        done.complete(new Reply(200, out));
        return;
      }
      waiting.progress(message == null ? "waiting for the message to appear" : "waiting for an acknowledgement");
      vertx.setTimer(Math.max(1, Math.min(pause, left)), t -> poll(target, uri, messageId, deadline,
          Math.min(MAX_POLL_MILLIS, pause * 3 / 2), waiting, done));
    });
  }

  private static JsonNode find(JsonNode messages, String id) {
    for (JsonNode message : messages) {
      if (id.equals(message.path("id").asText())) {
        return message;
      }
    }
    return null;
  }

  private Future<Reply> send(Target target, HttpMethod method, String uri, ObjectNode body, String idempotencyKey,
      long waitMillis) {
    return loopback.call(target, method, uri, method == GET ? null : body, idempotencyKey, waitMillis);
  }

  private static long waitMillis(ObjectNode args, double fallback) {
    return (long) (args.path("wait").asDouble(fallback) * 1000);
  }

  private static ObjectNode without(ObjectNode args, String field) {
    ObjectNode copy = args.deepCopy();
    copy.remove(field);
    return copy;
  }

  static String segment(ObjectNode args, String field) {
    return encode(args.get(field).asText());
  }

  private static String query(ObjectNode args, String... names) {
    StringJoiner out = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : names) {
      JsonNode value = args.get(name);
      if (value != null && !value.isNull()) {
        out.add(name + "=" + encode(value.asText()));
      }
    }
    return out.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
