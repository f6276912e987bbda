package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentService;
import dev.backchannel.agent.ClaimState;
import dev.backchannel.agent.CompletionRef;
import dev.backchannel.agent.MentionClaims;
import dev.backchannel.agent.MentionRef;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Claims on mentions (extensions §5), named by {@code mention_id}, {@code inbox_id} (the same id)
 * or the message ({@code source_type: message, source_id}); one holder per message.
 */
final class MentionClaimRoutes implements RouteGroup {
  private static final Duration DEFAULT_HOLD = Duration.ofMinutes(5);

  private final MentionClaims claims;
  private final Clock clock;

  MentionClaimRoutes(AgentService agents, Clock clock) {
    this.claims = agents.claims();
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    for (String prefix : Api.AGENT_PREFIXES) {
      api.keyed(GET, prefix + "/v1/mentions/claim", this::state);
      api.keyed(POST, prefix + "/v1/mentions/claim", this::claim);
      api.keyed(DELETE, prefix + "/v1/mentions/claim", this::release);
    }
  }

  private void claim(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    MentionRef ref = ref(field -> body.optionalString(field));
    Integer ttl = body.optionalInt("ttl_seconds", 5, 3600, ApiError.INVALID_TTL);
    Duration hold = ttl == null ? DEFAULT_HOLD : Duration.ofSeconds(ttl);
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> claims.claim(tx, caller, ref, hold), 200,
        mention -> Wire.mention(mention, clock.instant()));
  }

  private void release(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    MentionRef ref = ref(field -> body.optionalString(field));
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> claims.release(tx, caller, ref), 200, v -> {
      ObjectNode out = Wire.object();
      out.put("released", true);
      return out;
    });
  }

  /** Always 200 with the state: who holds the message, until when, and whether it is the caller. */
  private void state(RoutingContext ctx) {
    MentionRef ref = ref(field -> blankToNull(Query.param(ctx, field)));
    Caller caller = Requests.caller(ctx);
    Api.respond(ctx, claims.state(caller, ref), 200, state -> stateJson(state, caller, clock.instant()));
  }

  private static ObjectNode stateJson(ClaimState state, Caller caller, Instant now) {
    ObjectNode out = Wire.object();
    out.put("mention_id", state.mention().id());
    out.put("source_type", CompletionRef.MESSAGE);
    out.put("source_id", state.mention().messageId());
    out.put("claimed", state.isHeld());
    out.put("owner_key_id", state.holderKeyId());
    out.put("claimed_until", Wire.time(state.expiresAt()));
    out.put("yours", state.isHeld() && state.holderKeyId().equals(caller.keyId()));
    if (state.isHeld()) {
      out.put("retry_after_seconds", MentionClaims.retryAfterSeconds(now, state.expiresAt()));
    } else {
      out.putNull("retry_after_seconds");
    }
    return out;
  }

  /** {@code mention_id} or {@code inbox_id}, else {@code source_type: message} with {@code source_id}. */
  private static MentionRef ref(Function<String, String> field) {
    String id = field.apply("mention_id");
    if (id == null) {
      id = field.apply("inbox_id");
    }
    if (id != null) {
      return MentionRef.ofMention(id);
    }
    String type = field.apply("source_type");
    String source = field.apply("source_id");
    if (type == null && source == null) {
      throw ApiError.MISSING_FIELD.exception("Name the mention: mention_id, inbox_id, or source_type and source_id");
    }
    if (!CompletionRef.MESSAGE.equals(type) || source == null) {
      throw ApiError.INVALID_FIELD.exception("source_type must be 'message', with source_id the message id");
    }
    return MentionRef.ofMessage(source);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
