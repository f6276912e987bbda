package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.message.Lease;
import dev.backchannel.message.QueueService;
import dev.backchannel.stream.LongPoll;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Work queues: claim-next, nack, redrive (extensions §4). */
final class QueueRoutes implements RouteGroup {
  private static final int MAX_REDRIVE = 1_000;
  private static final int DEFAULT_REDRIVE = 100;
  private static final int MAX_NACK_DELAY = 86_400;

  private final QueueService queues;
  private final LongPoll longPoll;
  private final ClaimRoutes claimRoutes;
  private final Clock clock;

  QueueRoutes(QueueService queues, LongPoll longPoll, ClaimRoutes claimRoutes, Clock clock) {
    this.queues = queues;
    this.longPoll = longPoll;
    this.claimRoutes = claimRoutes;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/channels/{channel}/claim-next", this::claimNext);
    api.keyed(POST, "/v1/messages/{message_id}/nack", this::nack);
    api.keyed(POST, "/v1/channels/{channel}/redrive", this::redrive);
  }

  /** 200 with the lease (as claim-with-lease, plus the fence), or 204 when nothing is ready after {@code wait}. */
  private void claimNext(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    Duration leaseTime = MessageRequests.leaseTime(body);
    Map<String, Object> match = match(body);
    Double wait = body.optionalSeconds("wait");
    Duration waitFor = wait == null ? Duration.ZERO : Duration.ofMillis((long) (wait * 1000));
    RequestWrite write = RequestWrite.of(ctx);
    Future<List<RequestWrite.StoredAnswer>> claimed = queues.workChannel(caller, Requests.path(ctx, "channel"))
        .compose(channel -> longPoll.poll(channel.id(), waitFor,
            () -> write.attempt(tx -> queues.claimNext(tx, caller, channel.id(), actor, leaseTime, match),
                    (Optional<Lease> lease) -> lease.map(l -> new RequestWrite.Reply(200, claimRoutes.lease(l)))
                        .orElse(null))
                .map(answer -> answer == null ? List.of() : List.of(answer)),
            cancel -> ctx.addEndHandler(v -> cancel.run())));
    RequestWrite.answer(ctx, claimed.map(answers -> answers.isEmpty() ? null : answers.get(0)));
  }

  /** {@code match}: metadata keys to scalar values, all of which must be equal. */
  static Map<String, Object> match(Body body) {
    JsonNode value = body.node("match");
    Map<String, Object> match = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return match;
    }
    if (!value.isObject()) {
      throw ApiError.INVALID_MATCH.exception();
    }
    value.fields().forEachRemaining(field -> match.put(field.getKey(), scalar(field.getValue())));
    return match;
  }

  private static Object scalar(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    throw ApiError.INVALID_MATCH.exception();
  }

  private void nack(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    String reason = body.optionalText("reason", null);
    Integer delay = body.optionalInt("delay_seconds", 0, MAX_NACK_DELAY, ApiError.INVALID_DELAY);
    Long fence = MessageRequests.fence(body);
    Caller caller = Requests.caller(ctx);
    String messageId = Requests.path(ctx, "message_id");
    Duration redeliverAfter = delay == null ? null : Duration.ofSeconds(delay);
    Api.write(ctx, tx -> queues.nack(tx, caller, messageId, actor, reason, redeliverAfter, fence), 200, result -> {
      ObjectNode out = Wire.object();
      out.put("status", result.status());
      out.set("message", MessageJson.of(result.message(), clock.instant()));
      return out;
    });
  }

  private void redrive(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String target = body.optionalString("to");
    Integer limit = body.optionalInt("limit", 1, MAX_REDRIVE, ApiError.INVALID_LIMIT);
    Caller caller = Requests.caller(ctx);
    String deadLetters = Requests.path(ctx, "channel");
    int count = limit == null ? DEFAULT_REDRIVE : limit;
    Api.write(ctx, tx -> queues.redrive(tx, caller, deadLetters, target, count), 200, redriven -> {
      ObjectNode out = Wire.object();
      out.put("redriven", redriven);
      return out;
    });
  }
}
