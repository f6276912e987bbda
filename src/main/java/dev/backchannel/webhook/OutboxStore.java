package dev.backchannel.webhook;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Storage of the webhook outbox and of the mention throttle. Methods taking a {@link Tx} run in the writer. */
public interface OutboxStore {
  /** Queues a delivery, due at once. */
  void enqueue(Tx tx, Delivery delivery);

  /** Ids of pending deliveries due at {@code now}, oldest due first. A read, so it may be stale. */
  Future<List<String>> due(Instant now, int limit);

  /**
   * Claims those of {@code ids} that are still pending and due, moving their next attempt to
   * {@code leaseUntil} so no other round picks them up meanwhile; returns the claimed ones.
   */
  List<Delivery> claim(Tx tx, List<String> ids, Instant now, Instant leaseUntil);

  void delivered(Tx tx, String id, Instant at);

  /** Records a failed attempt; a null {@code nextAttemptAt} abandons the delivery. */
  void failed(Tx tx, String id, int attempts, Instant nextAttemptAt, String error, Instant at);

  /**
   * Takes the mention slot of (channel, actor) unless one was taken after {@code since}; false
   * means a mention webhook already went out within the interval.
   */
  boolean takeMentionSlot(Tx tx, String channelId, String actorId, Instant now, Instant since);

  /** Deletes delivered and abandoned deliveries finished before {@code before}, and stale mention slots. */
  int purge(Tx tx, Instant before, Instant mentionSlotsBefore);
}
