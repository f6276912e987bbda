package dev.backchannel.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorService;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.MembershipStore;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/** Posting, listing, retracting messages and reading the archive (contract §4.6, §5.3, §5.13). */
public final class MessageService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WRITE_WINDOW = Duration.ofSeconds(60);
  private static final int MAX_NAMED_ACTORS = 10;

  private final Store store;
  private final MessageStore messages;
  private final ChannelService channels;
  private final MembershipStore memberships;
  private final ActorService actors;
  private final Publisher publisher;
  private final Clock clock;
  private final Metrics metrics;
  private final PageCache pages;

  public MessageService(Store store, MessageStore messages, ChannelService channels, MembershipStore memberships,
      ActorService actors, Publisher publisher, Clock clock, Metrics metrics) {
    this.store = store;
    this.messages = messages;
    this.channels = channels;
    this.memberships = memberships;
    this.actors = actors;
    this.publisher = publisher;
    this.clock = clock;
    this.metrics = metrics;
    this.pages = new PageCache(store::commits);
  }

  /** Resolves the channel (id, alias, then the caller's newest of that name) and posts, inside a write. */
  public Message postTo(Tx tx, Caller caller, String identifier, MessageDraft draft) {
    return post(tx, caller, channels.resolve(tx, caller, identifier), draft);
  }

  /** Posts to a channel known by id, inside an enclosing write. */
  public Message post(Tx tx, Caller caller, String channelId, MessageDraft draft) {
    return post(tx, caller, channels.reload(tx, caller, channelId), draft);
  }

  /**
   * Posts to a channel as this transaction sees it, enforcing in the contract's order: pause,
   * write rate, metadata schema, actor, mentions; then inserts, trims to {@code max_messages} and
   * tells the listener (webhooks are queued in this same write).
   */
  private Message post(Tx tx, Caller caller, Channel channel, MessageDraft draft) {
    requireNotPaused(channel);
    requireWriteBudget(tx, channel);
    requireValidMetadata(channel, draft.metadata());
    Actor actor = draft.actor() == null ? null : actors.resolveOwned(tx, caller, draft.actor());
    Map<String, Actor> mentioned = publisher.mentionedActors(tx, channel, draft.mentions());
    Instant createdAt = tx.nextCreatedAt();
    Message message = new Message(tx.nextSeq(), UUID.randomUUID().toString(), channel.id(),
        actor == null ? null : actor.ref(), draft.actorLabel(), draft.content(), write(draft.metadata()),
        Publisher.mentionsJson(mentioned.values()), createdAt, createdAt.plus(channel.ttl()), null, null, null, null, null, 0,
        "[]", QueueState.fresh(draft.priority(), deliverAt(tx, draft, createdAt, channel)), caller.keyId(), null, 0);
    messages.insert(tx, message);
    if (channel.maxMessages() != null) {
      messages.trim(tx, channel.id(), channel.maxMessages());
    }
    if (message.isVisibleAt(createdAt)) {
      publisher.publish(tx, channel, message, mentioned);
    } else {
      publisher.schedule(message.queue().deliverAt());
    }
    tx.afterCommit(() -> metrics.messagePosted(channel.mode().wire()));
    return message;
  }

  /** When a delayed message becomes visible, or null when it is visible at once (extensions §4). */
  private static Instant deliverAt(Tx tx, MessageDraft draft, Instant createdAt, Channel channel) {
    Instant due = draft.deliverAt() != null ? draft.deliverAt()
        : draft.delay() != null ? createdAt.plus(draft.delay()) : null;
    if (due == null || !due.isAfter(createdAt)) {
      return null;
    }
    if (!due.isBefore(createdAt.plus(channel.ttl()))) {
      throw ApiError.INVALID_DELAY.exception("The message would expire before it is delivered; channel ttl_seconds is "
          + channel.ttlSeconds());
    }
    return due;
  }

  private static void requireNotPaused(Channel channel) {
    if (channel.paused()) {
      throw ApiError.CHANNEL_PAUSED.exception("Channel '" + channel.name() + "' is paused; retry later")
          .with("retry_after", 30);
    }
  }

  private void requireWriteBudget(Tx tx, Channel channel) {
    Integer limit = channel.maxWritesPerMinute();
    if (limit != null && messages.countCreatedSince(tx, channel.id(), tx.now().minus(WRITE_WINDOW)) >= limit) {
      throw ApiError.CHANNEL_WRITE_RATE_EXCEEDED.exception(
          "Channel '" + channel.name() + "' accepts at most " + limit + " messages per minute")
          .with("retry_after", 60);
    }
  }

  private static void requireValidMetadata(Channel channel, JsonNode metadata) {
    if ("{}".equals(channel.metadataSchemaJson())) {
      return;
    }
    List<MetadataSchema.Violation> violations = MetadataSchema.validate(read(channel.metadataSchemaJson()), metadata);
    if (!violations.isEmpty()) {
      throw ApiError.METADATA_VALIDATION_FAILED.exception("metadata does not match the channel's metadata_schema")
          .with("violations", violations.stream().map(MetadataSchema.Violation::asMap).toList());
    }
  }

  /** The channel a caller lists messages of: resolved and access-checked. */
  public Future<Channel> readable(Caller caller, String identifier) {
    return channels.resolve(caller, identifier);
  }

  /**
   * One page of live messages of a channel already resolved for the caller (contract §4.6),
   * optionally only those after a reader's read position.
   */
  public Future<List<Message>> list(String channelId, Cursor after, int limit, ClaimFilter status,
      Instant expiringBefore, long unreadAfter) {
    MessageQuery query = new MessageQuery(channelId, after, limit, status, expiringBefore, unreadAfter,
        clock.instant());
    return pages.get(query, () -> messages.list(query));
  }

  public Future<List<ArchivedMessage>> history(Caller caller, String identifier, Instant before, int limit) {
    return channels.resolve(caller, identifier).compose(channel -> messages.history(channel.id(), before, limit));
  }

  /** Withdraws an unclaimed message into the archive (contract §4.7, §5.7). */
  public Void retract(Tx tx, Caller caller, String messageId) {
    Message message = messages.find(tx, messageId).orElseThrow(MessageService::notFound);
    channels.reload(tx, caller, message.channelId());
    if (message.isClaimed()) {
      throw ApiError.MESSAGE_CLAIMED.exception("A claimed message cannot be retracted; release it first");
    }
    messages.archive(tx, message, "retracted", tx.now());
    tx.emit(new Committed(Committed.Kind.MESSAGE_RETRACTED, message.channelId(), tx.nextSeq(), message));
    return null;
  }

  /**
   * Edits a message's content or metadata. Only the key that posted it may, and on a claimable
   * channel only while nobody has claimed or acknowledged it; metadata must still match the
   * channel's schema. Streams asking for {@code edited} and inboxes see the new text.
   */
  public Message edit(Tx tx, Caller caller, String messageId, MessageEdit edit) {
    Message message = messages.find(tx, messageId).filter(m -> m.isVisibleAt(tx.now()))
        .orElseThrow(MessageService::notFound);
    if (message.isExpiredAt(tx.now())) {
      throw ApiError.MESSAGE_EXPIRED.exception();
    }
    Channel channel = channels.reload(tx, caller, message.channelId());
    if (!caller.keyId().equals(message.postedByKeyId())) {
      throw ApiError.FORBIDDEN.exception("Only the key that posted a message may edit it");
    }
    if (channel.mode() == ChannelMode.CLAIMABLE && (message.isClaimed() || message.isAcked())) {
      throw ApiError.MESSAGE_CLAIMED.exception("A claimed or acknowledged message can no longer be edited");
    }
    if (edit.metadata() != null) {
      requireValidMetadata(channel, edit.metadata());
    }
    Message edited = message.edited(edit.content() != null ? edit.content() : message.content(),
        edit.metadata() != null ? write(edit.metadata()) : message.metadataJson(), tx.now());
    messages.edit(tx, edited);
    publisher.edited(tx, channel, message, edited);
    return edited;
  }

  /**
   * Extensions §4: work done under a claim (a result posted for a task) carries the claim's fence;
   * once the lease was taken over, the fence is stale and the work is refused.
   */
  public void requireFence(Tx tx, String messageId, long fence) {
    ClaimService.requireFence(messages.find(tx, messageId).orElseThrow(MessageService::notFound), fence);
  }

  /** Message counts for the operator's health detail. */
  public Future<MessageTotals> totals() {
    return messages.totals();
  }

  /** The oldest live message of the channel with this id or alias, if any. */
  public Future<Message> oldest(Caller caller, String ref) {
    return channels.findByIdOrAlias(caller, ref)
        .compose(channel -> messages.oldestLive(channel.id(), clock.instant()))
        .map(found -> found.orElse(null));
  }

  static RuntimeException notFound() {
    return ApiError.MESSAGE_NOT_FOUND.exception();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metadata_schema is unreadable", e);
    }
  }

  private static String write(JsonNode node) {
    return node == null ? "{}" : node.toString();
  }
}
