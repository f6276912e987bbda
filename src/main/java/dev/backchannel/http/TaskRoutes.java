package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.channel.ChannelNames;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.message.ClaimService;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageDraft;
import dev.backchannel.message.MessageService;
import dev.backchannel.stream.LongPoll;
import dev.backchannel.task.TaskService;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** The verb aliases under {@code /v1/tasks} (contract §4.9). None of them checks scopes. */
final class TaskRoutes implements RouteGroup {
  private final TaskService tasks;
  private final MessageService messages;
  private final ClaimService claims;
  private final MessageRoutes messageRoutes;
  private final LongPoll longPoll;
  private final int maxContentBytes;
  private final Clock clock;

  TaskRoutes(TaskService tasks, MessageService messages, ClaimService claims, MessageRoutes messageRoutes,
      LongPoll longPoll, int maxContentBytes, Clock clock) {
    this.tasks = tasks;
    this.messages = messages;
    this.claims = claims;
    this.messageRoutes = messageRoutes;
    this.longPoll = longPoll;
    this.maxContentBytes = maxContentBytes;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/tasks/post", this::post);
    api.keyed(POST, "/v1/tasks/claim", this::claim);
    api.keyed(POST, "/v1/tasks/subscribe", this::subscribe);
    api.keyed(POST, "/v1/tasks/broadcast", this::broadcast);
    api.keyed(POST, "/v1/tasks/claim-and-ack", this::claimAndAck);
    api.keyed(POST, "/v1/tasks/create-claimable-session", this::createClaimableSession);
    api.keyed(POST, "/v1/tasks/post-with-result", this::postWithResult);
    api.keyed(POST, "/v1/tasks/{message_id}/result", this::postResult);
    api.keyed(GET, "/v1/tasks/{message_id}/result", this::result);
  }

  private void post(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String channel = ChannelNames.validate(channel(body));
    MessageDraft draft = MessageRequests.draft(body, maxContentBytes);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> tasks.post(tx, caller, channel, draft), 201, posted -> {
      ObjectNode out = messageRoutes.posted(posted.message());
      out.put("channel", posted.channel().id());
      return out;
    });
  }

  private void claim(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String channel = channel(body);
    String actor = MessageRequests.actor(body);
    String metadata = MessageRequests.metadataJson(body);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> claims.claimFirst(tx, caller, channel, actor, metadata), 200, claimed -> {
      ObjectNode out = Wire.object();
      if (claimed.isPresent()) {
        out.set("claimed", Wire.message(claimed.get(), clock.instant()));
      } else {
        out.putNull("claimed");
        out.put("note", "no unclaimed messages available");
      }
      return out;
    });
  }

  private void subscribe(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String channel = channel(body);
    MessageRoutes.Page page = MessageRoutes.Page.of(text(body, "limit", ApiError.INVALID_LIMIT), null,
        text(body, "since", ApiError.INVALID_CURSOR), null);
    Double wait = body.optionalSeconds("wait");
    Api.respond(ctx, messageRoutes.waitForPage(ctx, Requests.caller(ctx), channel, page, wait), 200,
        items -> messageRoutes.page(items, page));
  }

  private void broadcast(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String channel = channel(body);
    MessageDraft draft = MessageRequests.draft(body, maxContentBytes);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> messages.postTo(tx, caller, channel, draft), 201, messageRoutes::posted);
  }

  private void claimAndAck(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String messageId = body.requiredString("message_id");
    String actor = MessageRequests.actor(body);
    String metadata = MessageRequests.metadataJson(body);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> claims.claimAndAck(tx, caller, messageId, actor, metadata), 200, message -> {
      ObjectNode out = Wire.object();
      out.put("status", "claimed_and_acked");
      out.set("message", Wire.message(message, clock.instant()));
      return out;
    });
  }

  private void createClaimableSession(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String name = ChannelNames.validate(body.optionalText("name", "session"));
    String description = body.optionalText("description", "");
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> tasks.createClaimableSession(tx, caller, name, description), 201, invitation -> {
      ObjectNode out = Wire.object();
      out.set("channel", Wire.channel(invitation.channel()));
      out.set("invitation", Wire.invitation(invitation, clock.instant()));
      return out;
    });
  }

  private void postWithResult(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String channel = ChannelNames.validate(channel(body));
    MessageDraft draft = MessageRequests.draft(body, maxContentBytes);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> tasks.postWithResult(tx, caller, channel, draft), 201, posted -> {
      ObjectNode out = messageRoutes.posted(posted.message());
      out.remove("next_cursor");
      out.put("channel", posted.work().id());
      out.put("result_channel", TaskService.resultChannel(posted.message().id()));
      out.put("result_url", "/v1/tasks/" + posted.message().id() + "/result");
      return out;
    });
  }

  private void postResult(RoutingContext ctx) {
    String taskId = Requests.path(ctx, "message_id");
    Body body = Requests.body(ctx);
    ObjectNode metadata = body.metadata().deepCopy();
    metadata.put("task_id", taskId);
    MessageDraft parsed = MessageRequests.draft(body, maxContentBytes);
    MessageDraft draft = MessageDraft.of(parsed.content(), metadata, parsed.actorLabel());
    Long fence = MessageRequests.fence(body);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> tasks.postResult(tx, caller, taskId, draft, fence), 201, message -> {
      ObjectNode out = Wire.object();
      out.put("result_channel", TaskService.resultChannel(taskId));
      out.set("message", Wire.message(message, clock.instant()));
      return out;
    });
  }

  private void result(RoutingContext ctx) {
    String taskId = Requests.path(ctx, "message_id");
    Api.respond(ctx, tasks.result(Requests.caller(ctx), taskId), 200, (Message message) -> {
      ObjectNode out = Wire.object();
      out.put("task_id", taskId);
      out.set("result", Wire.message(message, clock.instant()));
      return out;
    });
  }

  /** {@code channel}: required; a number is taken as its text (contract §4.9 takes any truthy value). */
  private static String channel(Body body) {
    JsonNode value = body.node("channel");
    if (value != null && value.isNumber() && value.asDouble() != 0) {
      return value.asText();
    }
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw Body.missing("channel");
    }
    return value.asText().strip();
  }

  private static String text(Body body, String field, ApiError error) {
    JsonNode value = body.node(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() || value.isTextual()) {
      return value.asText();
    }
    throw error.exception();
  }
}
