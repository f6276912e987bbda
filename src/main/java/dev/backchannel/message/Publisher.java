package dev.backchannel.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorService;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.MembershipStore;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a message visible to readers: resolves who it mentions, fills their inboxes and emits
 * it to live consumers. Immediate posts publish at once; delayed ones when the janitor finds
 * them due, with a fresh seq so cursors that moved past their post still see them.
 */
public final class Publisher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_NAMED_ACTORS = 10;

  private final MessageStore messages;
  private final QueueStore queues;
  private final ChannelService channels;
  private final MembershipStore memberships;
  private final ActorService actors;
  private final MentionInbox inbox;
  private final PostListener listener;
  private final DueWatch due = new DueWatch();

  public Publisher(MessageStore messages, QueueStore queues, ChannelService channels, MembershipStore memberships,
      ActorService actors, MentionInbox inbox, PostListener listener) {
    this.messages = messages;
    this.queues = queues;
    this.channels = channels;
    this.memberships = memberships;
    this.actors = actors;
    this.inbox = inbox;
    this.listener = listener;
  }

  /** Contract §4.6: known actors only, once each, and only those who can read the channel. */
  public Map<String, Actor> mentionedActors(Tx tx, Channel channel, List<String> refs) {
    Map<String, Actor> mentioned = new LinkedHashMap<>();
    for (String ref : refs) {
      actors.resolveMention(tx, ref)
          .filter(actor -> !mentioned.containsKey(actor.id()))
          .filter(actor -> canRead(tx, channel, actor.createdByKeyId()))
          .ifPresent(actor -> mentioned.put(actor.id(), actor));
    }
    return mentioned;
  }

  /** The {@code mentions} field of a message: {@code [{id, name}]}. */
  public static String mentionsJson(Collection<Actor> mentioned) {
    ArrayNode out = JSON.createArrayNode();
    mentioned.forEach(actor -> out.addObject().put("id", actor.id()).put("name", actor.name()));
    return out.toString();
  }

  /**
   * Fills the inboxes of the mentioned actors and of {@code @name}s, tells the listener (webhooks
   * are queued in this same write), then emits the message.
   */
  public void publish(Tx tx, Channel channel, Message message, Map<String, Actor> mentioned) {
    inbox.mentioned(tx, message, everyone(tx, channel, message, mentioned));
    listener.posted(tx, channel, message);
    tx.emit(new Committed(Committed.Kind.MESSAGE_POSTED, channel.id(), message.seq(), message));
  }

  /** The mentioned actors and those named by {@code @name} in the content. */
  private Collection<Actor> everyone(Tx tx, Channel channel, Message message, Map<String, Actor> mentioned) {
    Map<String, Actor> everyone = new LinkedHashMap<>(mentioned);
    namedActors(tx, channel, message.content()).forEach(named -> everyone.putIfAbsent(named.id(), named));
    return everyone.values();
  }

  /**
   * Brings the inboxes up to date with an edit's new text (a new {@code @name} adds an item, a
   * removed one marks it), then tells live consumers; the change has a seq of its own.
   */
  public void edited(Tx tx, Channel channel, Message before, Message after) {
    if (!before.content().equals(after.content())) {
      inbox.edited(tx, after, everyone(tx, channel, after, mentionedActors(tx, channel, mentionIds(after))));
    }
    tx.emit(new Committed(Committed.Kind.MESSAGE_EDITED, channel.id(), tx.nextSeq(), after));
  }

  /** Remembers that a delayed message becomes due at {@code at}, so the janitor wakes for it. */
  public void schedule(Instant at) {
    due.offer(at);
  }

  public DueWatch dueWatch() {
    return due;
  }

  /** Publishes delayed messages that are due; returns how many. */
  public int releaseDue(Tx tx, int limit) {
    Instant now = tx.now();
    List<Message> due = queues.due(tx, now, limit);
    for (Message delayed : due) {
      queues.resequence(tx, delayed.id(), tx.nextSeq(), tx.nextCreatedAt(), null);
      Message visible = messages.find(tx, delayed.id()).orElseThrow();
      Channel channel = channels.system(tx, visible.channelId());
      publish(tx, channel, visible, mentionedActors(tx, channel, mentionIds(visible)));
    }
    return due.size();
  }

  private static List<String> mentionIds(Message message) {
    List<String> ids = new ArrayList<>();
    try {
      JSON.readTree(message.mentionsJson()).forEach(node -> ids.add(node.path("id").asText()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return List.of();
    }
    return ids;
  }

  /** Extensions §5: {@code @name} in the content mentions the actors of that id, alias or name who can read. */
  private List<Actor> namedActors(Tx tx, Channel channel, String content) {
    List<Actor> named = new ArrayList<>();
    for (String name : MentionInbox.names(content)) {
      List<Actor> candidates = actors.resolveMention(tx, name).map(List::of)
          .orElseGet(() -> actors.findAllByName(tx, name, MAX_NAMED_ACTORS));
      candidates.stream().filter(actor -> canRead(tx, channel, actor.createdByKeyId())).forEach(named::add);
    }
    return named;
  }

  private boolean canRead(Tx tx, Channel channel, String keyId) {
    return channel.access() == Access.OPEN || channel.isOwnedBy(keyId)
        || memberships.isMember(tx, channel.id(), keyId);
  }
}
