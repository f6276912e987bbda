package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.key.Caller;
import dev.backchannel.key.Scope;
import dev.backchannel.message.ClaimResult;
import dev.backchannel.message.ClaimService;
import dev.backchannel.message.Lease;
import dev.backchannel.message.QueueService;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The claim lifecycle: claim, claim with lease, heartbeat, release, ack (contract §4.7). */
final class ClaimRoutes implements RouteGroup {
  private final ClaimService claims;
  private final QueueService queues;
  private final Clock clock;

  ClaimRoutes(ClaimService claims, QueueService queues, Clock clock) {
    this.claims = claims;
    this.queues = queues;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/messages/{message_id}/claim", this::claim);
    api.keyed(POST, "/v1/messages/{message_id}/claim-with-lease", this::claimWithLease);
    api.keyed(POST, "/v1/leases/{lease_token}/heartbeat", this::heartbeat);
    api.keyed(POST, "/v1/messages/{message_id}/release", this::release);
    api.keyed(POST, "/v1/messages/{message_id}/ack", this::ack);
  }

  private void claim(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    caller.require(Scope.MESSAGES_CLAIM);
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    String metadata = MessageRequests.metadataJson(body);
    String messageId = messageId(ctx);
    Api.write(ctx, tx -> claims.claim(tx, caller, messageId, actor, metadata), 200, this::result);
  }

  private void claimWithLease(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    var leaseTime = MessageRequests.leaseTime(body);
    String metadata = MessageRequests.metadataJson(body);
    Caller caller = Requests.caller(ctx);
    String messageId = messageId(ctx);
    Api.write(ctx, tx -> claims.claimWithLease(tx, caller, messageId, actor, leaseTime, metadata), 200, this::lease);
  }

  private void heartbeat(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    var leaseTime = MessageRequests.leaseTime(body);
    Long fence = MessageRequests.fence(body);
    Caller caller = Requests.caller(ctx);
    String token = Requests.path(ctx, "lease_token");
    Api.write(ctx, tx -> claims.heartbeat(tx, caller, token, leaseTime, fence), 200, this::lease);
  }

  private void release(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    Long fence = MessageRequests.fence(body);
    Caller caller = Requests.caller(ctx);
    String messageId = messageId(ctx);
    Api.write(ctx, tx -> claims.release(tx, caller, messageId, actor, fence), 200, this::result);
  }

  private void ack(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    String metadata = MessageRequests.metadataJson(body);
    Long fence = MessageRequests.fence(body);
    Caller caller = Requests.caller(ctx);
    String messageId = messageId(ctx);
    Body next = body.optionalBody("next");
    if (next == null) {
      Api.write(ctx, tx -> claims.ack(tx, caller, messageId, actor, metadata, fence), 200, this::result);
      return;
    }
    Duration leaseTime = MessageRequests.leaseTime(next);
    Map<String, Object> match = QueueRoutes.match(next);
    Api.write(ctx, tx -> queues.ackAndClaimNext(tx, caller, messageId, actor, metadata, fence, leaseTime, match),
        200, this::ackAndNext);
  }

  /** The ack's answer plus {@code next}: the claim-next answer, or null when no task was ready. */
  private ObjectNode ackAndNext(QueueService.AckAndNext done) {
    ObjectNode out = result(done.acked());
    out.set("next", done.next().map(this::lease).orElse(null));
    return out;
  }

  ObjectNode result(ClaimResult result) {
    ObjectNode out = Wire.object();
    out.put("status", result.status());
    out.put("fence", result.message().fence());
    out.set("message", MessageJson.of(result.message(), clock.instant()));
    return out;
  }

  /** {@code {lease_token, expires_at, message}}; a heartbeat has no message (contract §4.7). */
  ObjectNode lease(Lease lease) {
    ObjectNode out = Wire.object();
    out.put("lease_token", lease.token());
    out.put("expires_at", Wire.time(lease.expiresAt()));
    if (lease.message() != null) {
      out.put("fence", lease.message().fence());
      out.set("message", MessageJson.of(lease.message(), clock.instant()));
    }
    return out;
  }

  private static String messageId(RoutingContext ctx) {
    return Requests.path(ctx, "message_id");
  }
}
