package dev.backchannel.agent;

import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorService;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.message.Cursor;
import dev.backchannel.message.MentionInbox;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageQuery;
import dev.backchannel.message.MessageStore;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What agents use instead of polling every channel (extensions §5): subscriptions, a mention
 * inbox with acks and claims, read positions with unread counts, and the wake feed's backlog.
 */
public final class AgentService implements MentionInbox {
  private final Store store;
  private final AgentStore agents;
  private final MessageStore messages;
  private final ChannelService channels;
  private final ActorService actors;
  private final Clock clock;
  private final MentionClaims claims;

  public AgentService(Store store, AgentStore agents, MessageStore messages, ChannelService channels,
      ActorService actors, Clock clock) {
    this.store = store;
    this.agents = agents;
    this.messages = messages;
    this.channels = channels;
    this.actors = actors;
    this.clock = clock;
    this.claims = new MentionClaims(agents, clock);
  }

  public Subscription subscribe(Tx tx, Caller caller, String identifier, String actor) {
    Channel channel = channels.resolve(tx, caller, identifier);
    Actor subscriber = actors.resolveOrCreate(tx, caller, actor);
    agents.subscribe(tx, channel.id(), subscriber.ref(), caller.keyId(), tx.now());
    Subscription subscription = new Subscription(channel.id(), channel.mode(), subscriber.ref(),
        subscriber.ownerId(), tx.now());
    tx.emit(new Committed(Committed.Kind.SUBSCRIBED, channel.id(), tx.nextSeq(), subscription));
    return subscription;
  }

  public Boolean unsubscribe(Tx tx, Caller caller, String identifier, String actor) {
    Channel found = channels.resolve(tx, caller, identifier);
    Actor subscriber = actors.resolveOrCreate(tx, caller, actor);
    boolean removed = agents.unsubscribe(tx, found.id(), subscriber.id());
    if (removed && !agents.ownerSubscribes(tx, found.id(), subscriber.ownerId())) {
      tx.emit(new Committed(Committed.Kind.UNSUBSCRIBED, found.id(), tx.nextSeq(), new Subscription(found.id(),
          found.mode(), subscriber.ref(), subscriber.ownerId(), tx.now())));
    }
    return removed;
  }

  public Future<List<Subscription>> subscribers(Caller caller, String identifier) {
    return channels.resolve(caller, identifier).compose(channel -> agents.subscribers(channel.id()));
  }

  @Override
  public void mentioned(Tx tx, Message message, Collection<Actor> mentioned) {
    for (Actor actor : mentioned) {
      Mention mention = new Mention(UUID.randomUUID().toString(), tx.nextSeq(), message.id(), message.channelId(),
          actor.ref(), actor.ownerId(), tx.now(), null, null, null);
      agents.insertMention(tx, mention);
      tx.emit(new Committed(Committed.Kind.MENTIONED, message.channelId(), mention.seq(),
          new AgentEvent(mention.seq(), AgentEvent.MENTION, mention, message)));
    }
  }

  @Override
  public void edited(Tx tx, Message message, Collection<Actor> mentioned) {
    Map<String, Boolean> items = agents.mentionedActors(tx, message.id());
    Set<String> nowMentioned = new HashSet<>();
    List<Actor> added = new ArrayList<>();
    for (Actor actor : mentioned) {
      nowMentioned.add(actor.id());
      if (!items.containsKey(actor.id())) {
        added.add(actor);
      }
    }
    mentioned(tx, message, added);
    items.forEach((actorId, still) -> {
      if (still != nowMentioned.contains(actorId)) {
        agents.setStillMentioned(tx, message.id(), actorId, still ? tx.now() : null);
      }
    });
  }

  /** The caller's owner's inbox after a sequence number, oldest first; {@code status} null for all. */
  public Future<List<InboxItem>> inbox(Caller caller, InboxStatus status, long afterSeq, int limit) {
    return agents.inbox(caller.ownerId(), status, afterSeq, limit, clock.instant());
  }

  /**
   * Moves the caller's items to a status; completing may name the evidence, which must be a
   * message the caller can read. Ids that are not the caller's are left alone (not counted).
   */
  public Integer updateInbox(Tx tx, Caller caller, List<String> ids, InboxStatus status, CompletionRef ref) {
    if (ref != null && !readableMessage(tx, caller, ref.sourceId())) {
      throw ApiError.INVALID_COMPLETION_REF.exception("completion_ref names no message you can read");
    }
    return agents.setInboxStatus(tx, caller.ownerId(), ids, status, ref, tx.now());
  }

  private boolean readableMessage(Tx tx, Caller caller, String messageId) {
    return messages.find(tx, messageId)
        .flatMap(message -> channels.find(tx, message.channelId()))
        .filter(channel -> channel.admits(caller.keyId()))
        .isPresent();
  }

  /** The caller's owner's mentions after a sequence number, oldest first. */
  public Future<List<AgentEvent>> mentions(Caller caller, long afterSeq, int limit) {
    return agents.mentions(caller.ownerId(), afterSeq, limit, clock.instant());
  }

  public Integer ackMentions(Tx tx, Caller caller, List<String> ids) {
    return agents.ackMentions(tx, caller.ownerId(), ids, tx.now());
  }

  /** Claims on mentioned messages: one holder per message, across every mentioned owner. */
  public MentionClaims claims() {
    return claims;
  }

  /**
   * Marks the channel read for an actor up to a message (its id or seq); without {@code upTo},
   * up to the newest message. Positions only move forward.
   */
  public Reader markRead(Tx tx, Caller caller, String identifier, String actor, String upTo) {
    Channel channel = channels.resolve(tx, caller, identifier);
    Actor reader = actors.resolveOrCreate(tx, caller, actor);
    agents.markRead(tx, channel.id(), reader.id(), upToSeq(tx, channel.id(), upTo), tx.now());
    return agents.readers(tx, channel.id(), tx.now()).stream()
        .filter(r -> r.actor().id().equals(reader.id())).findFirst().orElseThrow();
  }


  private long upToSeq(Tx tx, String channelId, String upTo) {
    if (upTo == null) {
      return messages.newestSeq(tx, channelId);
    }
    if (upTo.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(upTo);
    }
    return messages.find(tx, upTo)
        .filter(m -> m.channelId().equals(channelId))
        .map(Message::seq)
        .orElseThrow(() -> ApiError.MESSAGE_NOT_FOUND.exception("up_to names no message of this channel"));
  }

  /**
   * The bridge pattern: the page of what the actor has not read, and its read position moved to
   * the page's last message, in one unit of work, so concurrent readers of one actor each get
   * different messages and together every one of them.
   *
   * @param query the page wanted; its channel and read position are filled in here
   */
  public List<Message> readAndMark(Tx tx, Caller caller, String identifier, String actor, MessageQuery query) {
    Channel channel = channels.resolve(tx, caller, identifier);
    Actor reader = actors.resolveOrCreate(tx, caller, actor);
    long position = agents.readPosition(tx, channel.id(), reader.id());
    List<Message> page = messages.list(tx, new MessageQuery(channel.id(), query.after(), query.limit(),
        query.status(), query.expiringBefore(), position, tx.now()));
    if (!page.isEmpty()) {
      long last = page.stream().mapToLong(Message::seq).max().orElseThrow();
      agents.markRead(tx, channel.id(), reader.id(), last, tx.now());
    }
    return page;
  }

  public Future<List<Reader>> readers(Caller caller, String identifier) {
    return channels.resolve(caller, identifier).compose(channel -> agents.readers(channel.id(), clock.instant()));
  }

  /** The cursor of what an actor has not read yet in a channel, for {@code unread_for}. */
  public Future<Cursor.AfterSeq> unreadCursor(Caller caller, Channel channel, String actorRef) {
    return actors.resolveExisting(caller, actorRef)
        .compose(actor -> agents.readPosition(channel.id(), actor.id()))
        .map(Cursor.AfterSeq::new);
  }

  public Future<List<AgentEvent>> feed(Caller caller, long afterSeq, int limit) {
    return agents.feed(caller.ownerId(), afterSeq, limit, clock.instant());
  }

  public Future<AgentSummary> summary(Caller caller) {
    return agents.summary(caller.ownerId(), clock.instant());
  }

  public Future<java.util.Map<String, dev.backchannel.channel.ChannelMode>> subscribedChannels(Caller caller) {
    return agents.subscribedChannels(caller.ownerId());
  }

  /** The live leases the caller's key holds. */
  public Future<List<Message>> leasesHeldBy(Caller caller) {
    return messages.leasesHeldBy(caller.keyId(), clock.instant());
  }

  /** A filter deciding which live changes belong in the caller's feed. */
  public Future<FeedFilter> feedFilter(Caller caller) {
    return subscribedChannels(caller).map(channels -> new FeedFilter(caller.ownerId(), channels));
  }
}
