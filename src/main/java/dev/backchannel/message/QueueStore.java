package dev.backchannel.message;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage operations of work queues (extensions §4). All run inside the writer's transaction. */
public interface QueueStore {
  /**
   * Claims, with a lease, the next message claim-next hands out: visible, unexpired, unclaimed,
   * matching every metadata key, highest priority first, then oldest. One statement picks and
   * claims, so no other claimer can take it in between on any store. Returns the claimed message.
   */
  Optional<Message> claimNext(Tx tx, String channelId, Instant now, Map<String, Object> match, ActorRef claimer,
      String keyId, String leaseToken, Instant leaseExpiresAt);

  /** Claims the actor holds in the channel that are not yet acknowledged. */
  long inFlight(Tx tx, String channelId, String actorId);

  /** Delayed messages whose time has come, earliest first. */
  List<Message> due(Tx tx, Instant now, int limit);

  /** The earliest pending delivery time, if any message is delayed. */
  Future<Optional<Instant>> earliestDue();

  /** Makes the message visible at the end of its channel: a new seq and created_at, no delay. */
  void resequence(Tx tx, String id, long seq, Instant createdAt, Instant deliverAt);

  /** Returns a claimed message to the pool after a failed delivery, visible again at {@code deliverAt} (or now). */
  void requeue(Tx tx, String id, Instant deliverAt, String failure);

  /** Moves a message to another channel, unclaimed, as a new message there. */
  void move(Tx tx, String id, String toChannelId, long seq, Instant createdAt, Instant expiresAt,
      String deadLetteredFrom, String failure, boolean resetDeliveries);

  /** Dead letters waiting in the channel, oldest first. */
  List<Message> deadLetters(Tx tx, String channelId, int limit);
}
