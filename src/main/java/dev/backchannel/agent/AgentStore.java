package dev.backchannel.agent;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** Storage of subscriptions, mentions and read positions. Methods taking a {@link Tx} run in the writer. */
public interface AgentStore {
  /** Subscribes the actor; false when it already was. */
  boolean subscribe(Tx tx, String channelId, ActorRef actor, String keyId, Instant at);

  boolean unsubscribe(Tx tx, String channelId, String actorId);

  Future<List<Subscription>> subscribers(String channelId);

  /** Channels that some actor of the owner subscribes to, with their modes. */
  Future<Map<String, ChannelMode>> subscribedChannels(String ownerId);

  /** Whether some actor of the owner still subscribes to the channel. */
  boolean ownerSubscribes(Tx tx, String channelId, String ownerId);

  void insertMention(Tx tx, Mention mention);

  /** The owner's mentions after the sequence number, oldest first, with their (live) messages. */
  Future<List<AgentEvent>> mentions(String ownerId, long afterSeq, int limit, Instant now);

  Optional<Mention> findMention(Tx tx, String id);

  /** The owner's inbox items after the sequence number, oldest first; {@code status} null means all. */
  Future<List<InboxItem>> inbox(String ownerId, InboxStatus status, long afterSeq, int limit, Instant now);

  /** Sets the status of the owner's listed items; returns how many there were. */
  int setInboxStatus(Tx tx, String ownerId, List<String> ids, InboxStatus status, CompletionRef ref, Instant at);

  /** The actors a message has inbox items for, each with whether it still mentions them. */
  Map<String, Boolean> mentionedActors(Tx tx, String messageId);

  /** Marks an actor's item for the message as no longer mentioned (at {@code removedAt}) or, with null, mentioned again. */
  void setStillMentioned(Tx tx, String messageId, String actorId, Instant removedAt);

  /** Marks the owner's listed mentions acknowledged; returns how many changed. */
  int ackMentions(Tx tx, String ownerId, List<String> ids, Instant at);

  Future<Optional<Mention>> findMention(String id);

  /** The owner's (oldest) mention of a message. */
  Future<Optional<Mention>> findMentionOf(String ownerId, String messageId);

  Optional<Mention> findMentionOf(Tx tx, String ownerId, String messageId);

  /** A mention of the message whose claim is still live at {@code now}: the message's holder. */
  Future<Optional<Mention>> liveClaim(String messageId, Instant now);

  Optional<Mention> liveClaim(Tx tx, String messageId, Instant now);

  /** Gives the claim on the message to the key until {@code until}, on every mention of it. */
  void claimMessage(Tx tx, String messageId, String keyId, Instant until);

  void releaseMessage(Tx tx, String messageId);

  /** Moves the read position forward (never back); returns the position now stored. */
  long markRead(Tx tx, String channelId, String actorId, long seq, Instant at);

  Future<Long> readPosition(String channelId, String actorId);

  long readPosition(Tx tx, String channelId, String actorId);

  /** Actors with a read position or a subscription, with their unread counts. */
  Future<List<Reader>> readers(String channelId, Instant now);

  List<Reader> readers(Tx tx, String channelId, Instant now);

  /** Mentions and subscribed-channel messages of the owner after the sequence number, in order. */
  Future<List<AgentEvent>> feed(String ownerId, long afterSeq, int limit, Instant now);

  Future<AgentSummary> summary(String ownerId, Instant now);
}
