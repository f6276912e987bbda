package dev.backchannel.message;

import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorService;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Work queues on claimable channels (extensions §4): claim-next hands out the best ready message
 * atomically, nack returns one as a failed delivery, redrive moves dead letters back.
 */
public final class QueueService {
  private final Store store;
  private final QueueStore queues;
  private final ChannelService channels;
  private final ActorService actors;
  private final ClaimService claims;
  private final Redelivery redelivery;

  public QueueService(Store store, QueueStore queues, ChannelService channels, ActorService actors,
      ClaimService claims, Redelivery redelivery) {
    this.store = store;
    this.queues = queues;
    this.channels = channels;
    this.actors = actors;
    this.claims = claims;
    this.redelivery = redelivery;
  }

  /** The claimable channel a caller takes work from; 409 channel_not_claimable for broadcast channels. */
  public Future<Channel> workChannel(Caller caller, String identifier) {
    return channels.resolve(caller, identifier).map(QueueService::requireClaimable);
  }

  private static Channel requireClaimable(Channel channel) {
    if (!channel.isClaimable()) {
      throw ApiError.CHANNEL_NOT_CLAIMABLE.exception("Channel '" + channel.name() + "' is a broadcast channel");
    }
    return channel;
  }

  /**
   * Claims the highest-priority, oldest visible unclaimed message whose metadata matches, with a
   * lease; empty when there is none. One write, so two workers never get the same message.
   */
  public Optional<Lease> claimNext(Tx tx, Caller caller, String channelId, String actor, Duration leaseTime,
      Map<String, Object> match) {
    Channel channel = requireClaimable(channels.reload(tx, caller, channelId));
    Actor claimer = actors.resolveOrCreate(tx, caller, actor);
    Integer maxInFlight = channel.queue().maxInFlight();
    if (maxInFlight != null && queues.inFlight(tx, channel.id(), claimer.id()) >= maxInFlight) {
      throw ApiError.TOO_MANY_IN_FLIGHT.exception("Actor '" + claimer.name() + "' already holds " + maxInFlight
          + " unacknowledged claims in this channel; ack one first").with("retry_after", 1);
    }
    String token = claims.newLeaseToken();
    Instant expiresAt = tx.now().plus(leaseTime);
    return queues.claimNext(tx, channel.id(), tx.now(), match, claimer.ref(), caller.keyId(), token, expiresAt)
        .map(claimed -> claims.leased(tx, caller, claimed, claimer, token, expiresAt));
  }

  /** What an ack that also asked for the next task did: the ack, and the next claim if one was ready. */
  public record AckAndNext(ClaimResult acked, Optional<Lease> next) {}

  /**
   * Acknowledges a message and claims the next ready one of its channel in the same unit of work,
   * so a worker loop costs one request a task: both happen or, on any error, neither.
   */
  public AckAndNext ackAndClaimNext(Tx tx, Caller caller, String messageId, String actor, String metadataJson,
      Long fence, Duration leaseTime, Map<String, Object> match) {
    ClaimResult acked = claims.ack(tx, caller, messageId, actor, metadataJson, fence);
    return new AckAndNext(acked, claimNext(tx, caller, acked.message().channelId(), actor, leaseTime, match));
  }

  /**
   * Hands a claimed message back as a failed delivery, visible again after {@code delay}; when it
   * has used up the channel's deliveries it is dead-lettered instead (empty result).
   */
  public NackResult nack(Tx tx, Caller caller, String messageId, String actor, String reason, Duration delay,
      Long fence) {
    Message message = claims.live(tx, messageId);
    Actor holder = claims.holder(tx, caller, message, actor, fence);
    String failure = reason == null ? "nacked by " + holder.name() : reason;
    recordNack(tx, caller, message, holder, failure);
    return redelivery.fail(tx, message, failure, delay)
        .map(back -> new NackResult("nacked", back))
        .orElseGet(() -> new NackResult("dead_lettered", message));
  }

  private void recordNack(Tx tx, Caller caller, Message message, Actor holder,
      String failure) {
    String metadata = "{\"reason\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(failure) + "}";
    claims.recordEvent(tx, claims.event(tx, caller, message, holder, MessageEvent.NACK, metadata));
  }

  /** Moves up to {@code limit} dead letters back to their origin (or to {@code target}); returns how many. */
  public int redrive(Tx tx, Caller caller, String deadLetters, String target, int limit) {
    Channel dlq = channels.resolve(tx, caller, deadLetters);
    Channel destination = target == null ? null : requireClaimable(channels.resolve(tx, caller, target));
    return redelivery.redrive(tx, dlq, destination, limit);
  }

  /** The outcome of a nack: {@code nacked} (back in the pool) or {@code dead_lettered}. */
  public record NackResult(String status, Message message) {}
}
