package dev.backchannel.message;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Storage of live and archived messages. Methods taking a {@link Tx} run inside the writer's transaction. */
public interface MessageStore {
  Future<List<Message>> list(MessageQuery query);

  /** The same page, read inside a write (read-and-mark reads and moves a read position in one unit). */
  List<Message> list(Tx tx, MessageQuery query);

  /** Archived messages of the channel created strictly before {@code before} (null: newest), newest first. */
  Future<List<ArchivedMessage>> history(String channelId, Instant before, int limit);

  Future<Optional<Message>> oldestLive(String channelId, Instant now);

  /** Every stored message counted, and the newest by sequence. */
  Future<MessageTotals> totals();

  /** Live messages of these channels after the cursor, in sequence order (stream replay). */
  Future<List<Message>> after(Set<String> channelIds, Cursor after, Instant now, int limit);

  /** Live leases the key holds, soonest expiry first (wake feeds warn before they lapse). */
  Future<List<Message>> leasesHeldBy(String keyId, Instant now);

  /** What these channels no longer hold: expired or purged messages (stream resume). */
  Future<Horizon> horizon(Set<String> channelIds, Instant now);

  Future<Optional<Message>> find(String id);

  Optional<Message> find(Tx tx, String id);

  Optional<Message> findByLease(Tx tx, String leaseToken);

  void insert(Tx tx, Message message);

  /** Stores an edit: the message's new content, metadata and edit time, counting one more edit. */
  void edit(Tx tx, Message edited);

  long countCreatedSince(Tx tx, String channelId, Instant since);

  /** The sequence number of the channel's newest message, 0 when it has none. */
  long newestSeq(Tx tx, String channelId);

  /** The creation time of the channel's newest stored message, if it has any. */
  Optional<Instant> latestCreatedAt(Tx tx, String channelId);

  /** Keeps the newest {@code keep} messages of the channel; returns how many were deleted. */
  int trim(Tx tx, String channelId, int keep);

  /** Unexpired, unclaimed messages of the channel, oldest first. */
  List<Message> unclaimed(Tx tx, String channelId, Instant now, int limit);

  /**
   * Sets the claim if the message is still unclaimed or its lease expired unacknowledged
   * (contract §9.4); false when that condition no longer holds.
   *
   * @param leaseToken null for a plain claim, which clears any lease
   */
  boolean claim(Tx tx, String id, ActorRef actor, String keyId, Instant at, String leaseToken,
      Instant leaseExpiresAt, Instant now);

  /** Clears claimer, claim time, claiming key and lease. */
  void clearClaim(Tx tx, String id);

  void renewLease(Tx tx, String id, Instant leaseExpiresAt);

  boolean hasAcked(Tx tx, String messageId, String actorId);

  void addAck(Tx tx, String messageId, ActorRef actor, Instant at);

  void recordEvent(Tx tx, MessageEvent event);

  /** Copies the message and its events to the archive and deletes it. */
  void archive(Tx tx, Message message, String reason, Instant at);

  /** Archives up to {@code limit} expired messages; returns them. */
  List<Message> archiveExpired(Tx tx, Instant now, int limit);

  /** Claims whose lease lapsed without an acknowledgement, soonest first. */
  List<Message> expiredLeases(Tx tx, Instant now, int limit);

  /** Deletes archived messages past their channel's retention; returns how many. */
  int purgeArchive(Tx tx, Instant now, int defaultRetentionDays);
}
