package dev.backchannel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorRef;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.CompletionRef;
import dev.backchannel.agent.InboxItem;
import dev.backchannel.agent.Mention;
import dev.backchannel.agent.Reader;
import dev.backchannel.agent.Subscription;
import dev.backchannel.channel.AccessRequest;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelEvent;
import dev.backchannel.channel.ChannelRef;
import dev.backchannel.channel.DiscoveryItem;
import dev.backchannel.channel.Invitation;
import dev.backchannel.channel.Member;
import dev.backchannel.message.ArchivedMessage;
import dev.backchannel.message.Message;
import dev.backchannel.message.QueueState;
import dev.backchannel.session.Session;
import dev.backchannel.time.Timestamps;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** The JSON shapes of contract §3, with their exact field names. Nothing else names wire fields. */
public final class Wire {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Wire() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static String time(Instant instant) {
    return instant == null ? null : Timestamps.format(instant);
  }

  public static <T> ArrayNode array(Collection<T> items, Function<T, ? extends JsonNode> shape) {
    ArrayNode out = NODES.arrayNode(items.size());
    items.forEach(item -> out.add(shape.apply(item)));
    return out;
  }

  public static ArrayNode strings(List<String> values) {
    ArrayNode out = NODES.arrayNode(values.size());
    values.forEach(out::add);
    return out;
  }

  /** {@code {data, limit, next_cursor}}, the page envelope of every listing. */
  public static ObjectNode page(ArrayNode data, int limit, String nextCursor) {
    ObjectNode out = object();
    out.set("data", data);
    out.put("limit", limit);
    out.put("next_cursor", nextCursor);
    return out;
  }

  public static ObjectNode channel(Channel c) {
    ObjectNode out = object();
    out.put("id", c.id());
    out.put("owner_id", c.ownerId());
    out.put("created_by_key_id", c.createdByKeyId());
    out.put("name", c.name());
    out.put("mode", c.mode().wire());
    out.put("access", c.access().wire());
    out.put("discoverable", c.discoverable());
    out.put("description", c.description());
    out.putRawValue("metadata_schema", new RawValue(c.metadataSchemaJson()));
    out.put("pinned_message", c.pinnedMessage());
    out.put("ttl_seconds", c.ttlSeconds());
    out.put("retention_days", c.retentionDays());
    out.put("max_messages", c.maxMessages());
    out.put("max_writes_per_minute", c.maxWritesPerMinute());
    out.put("paused", c.paused());
    out.put("max_deliveries", c.queue().maxDeliveries());
    out.put("dead_letter_channel", c.queue().deadLetterChannel());
    out.put("max_in_flight", c.queue().maxInFlight());
    out.set("aliases", strings(c.aliases()));
    out.set("related_channels", array(c.related(), Wire::channelRef));
    out.put("created_at", time(c.createdAt()));
    out.put("updated_at", time(c.updatedAt()));
    return out;
  }

  public static ObjectNode channelRef(ChannelRef r) {
    ObjectNode out = object();
    out.put("id", r.id());
    out.put("name", r.name());
    out.put("mode", r.mode().wire());
    return out;
  }

  public static ObjectNode discoveryItem(DiscoveryItem d) {
    ObjectNode out = object();
    out.put("id", d.id());
    out.put("name", d.name());
    out.put("mode", d.mode().wire());
    out.put("access", d.access().wire());
    out.put("description", d.description());
    out.put("created_at", time(d.createdAt()));
    out.put("is_member", d.member());
    return out;
  }

  /** A live message (contract §3.2) plus {@code seq} (extensions §1). */
  public static ObjectNode message(Message m, Instant now) {
    ObjectNode out = object();
    out.put("id", m.id());
    out.put("seq", m.seq());
    out.put("channel_id", m.channelId());
    out.set("actor", actorRef(m.actor()));
    out.put("actor_label", m.actorLabel());
    out.put("content", m.content());
    out.putRawValue("metadata", new RawValue(m.metadataJson()));
    out.put("created_at", time(m.createdAt()));
    out.put("expires_at", time(m.expiresAt()));
    out.set("claimed_by", actorRef(m.claimedBy()));
    out.put("claimed_by_key_id", m.claimedByKeyId());
    out.putRawValue("mentions", new RawValue(m.mentionsJson()));
    out.put("claimed_at", time(m.claimedAt()));
    out.putRawValue("acknowledged_by", new RawValue(m.acksJson()));
    out.put("active", m.expiresAt().isAfter(now));
    QueueState queue = m.queue();
    out.put("priority", queue.priority());
    out.put("deliver_at", time(queue.deliverAt()));
    out.put("delivery_count", queue.deliveryCount());
    out.put("fence", queue.fence());
    out.put("dead_lettered_from", queue.deadLetteredFrom());
    out.put("last_failure", queue.lastFailure());
    out.put("edited_at", time(m.editedAt()));
    out.put("edit_count", m.editCount());
    return out;
  }

  public static ObjectNode archivedMessage(ArchivedMessage m) {
    ObjectNode out = object();
    out.put("id", m.id());
    out.put("channel_id", m.channelId());
    out.set("actor", actorRef(m.actor()));
    out.put("actor_label", m.actorLabel());
    out.put("content", m.content());
    out.putRawValue("metadata", new RawValue(m.metadataJson()));
    out.put("created_at", time(m.createdAt()));
    out.put("expires_at", time(m.expiresAt()));
    out.set("claimed_by", actorRef(m.claimedBy()));
    out.put("claimed_at", time(m.claimedAt()));
    out.put("archived_at", time(m.archivedAt()));
    out.put("active", false);
    return out;
  }

  public static ObjectNode actorRef(ActorRef ref) {
    if (ref == null) {
      return null;
    }
    ObjectNode out = object();
    out.put("id", ref.id());
    out.put("name", ref.name());
    return out;
  }

  public static ObjectNode actor(Actor a) {
    ObjectNode out = object();
    out.put("id", a.id());
    out.put("owner_id", a.ownerId());
    out.put("created_by_key_id", a.createdByKeyId());
    out.put("name", a.name());
    out.put("description", a.description());
    out.putRawValue("metadata", new RawValue(a.metadataJson()));
    out.set("aliases", strings(a.aliases()));
    out.put("created_at", time(a.createdAt()));
    out.put("updated_at", time(a.updatedAt()));
    return out;
  }

  public static ObjectNode invitation(Invitation i, Instant now) {
    ObjectNode out = object();
    out.put("id", i.id());
    out.put("owner_id", i.ownerId());
    out.put("created_by_key_id", i.createdByKeyId());
    out.put("created_at", time(i.createdAt()));
    out.put("expires_at", time(i.expiresAt()));
    out.put("revoked_at", time(i.revokedAt()));
    out.put("active", i.isActiveAt(now));
    ObjectNode channel = out.putObject("channel");
    channel.put("id", i.channel().id());
    channel.put("name", i.channel().name());
    channel.put("mode", i.channel().mode().wire());
    channel.put("description", i.channel().description());
    return out;
  }

  public static ObjectNode member(Member m) {
    ObjectNode out = object();
    out.put("id", m.id());
    out.put("channel_id", m.channelId());
    out.put("key_id", m.keyId());
    out.put("granted_at", time(m.grantedAt()));
    out.put("granted_via_invitation_id", m.grantedViaInvitationId());
    return out;
  }

  public static ObjectNode channelEvent(ChannelEvent e) {
    ObjectNode out = object();
    out.put("id", e.id());
    out.put("channel_id", e.channelId());
    out.put("event_type", e.eventType());
    out.put("actor_key_id", e.actorKeyId());
    out.put("subject_key_id", e.subjectKeyId());
    out.put("invitation_id", e.invitationId());
    out.putObject("metadata");
    out.put("created_at", time(e.createdAt()));
    out.put("expires_at", time(e.expiresAt()));
    return out;
  }

  public static ObjectNode accessRequest(AccessRequest r) {
    ObjectNode out = object();
    out.put("id", r.id());
    out.put("channel_id", r.channelId());
    out.put("requester_key_id", r.requesterKeyId());
    out.put("reason", r.reason());
    out.put("status", r.status());
    out.put("created_at", time(r.createdAt()));
    return out;
  }

  public static ObjectNode mention(Mention m, Instant now) {
    ObjectNode out = object();
    out.put("id", m.id());
    out.put("seq", m.seq());
    out.put("channel_id", m.channelId());
    out.put("message_id", m.messageId());
    out.set("actor", actorRef(m.actor()));
    out.put("created_at", time(m.createdAt()));
    out.put("acked_at", time(m.ackedAt()));
    out.put("claimed_until", m.isClaimedAt(now) ? time(m.claimExpiresAt()) : null);
    return out;
  }

  /**
   * An inbox item: the mention as {@code source_type: message}, the message's newest text as
   * {@code payload}, the item's status, and the claim while one is held.
   */
  public static ObjectNode inboxItem(InboxItem item, Instant now) {
    Mention mention = item.mention();
    Message message = item.message();
    ObjectNode out = object();
    out.put("id", mention.id());
    out.put("seq", mention.seq());
    out.put("source_type", CompletionRef.MESSAGE);
    out.put("source_id", message.id());
    out.put("channel_id", message.channelId());
    out.set("actor", actorRef(mention.actor()));
    ObjectNode author = out.putObject("author");
    author.set("actor", actorRef(message.actor()));
    author.put("label", message.actorLabel());
    author.put("key_id", message.postedByKeyId());
    ObjectNode payload = out.putObject("payload");
    payload.put("content", message.content());
    payload.putRawValue("metadata", new RawValue(message.metadataJson()));
    out.put("status", item.status().wire());
    out.put("status_at", time(item.statusAt()));
    if (item.completionRef() == null) {
      out.putNull("completion_ref");
    } else {
      out.putObject("completion_ref").put("source_type", item.completionRef().sourceType())
          .put("source_id", item.completionRef().sourceId());
    }
    out.put("created_at", time(mention.createdAt()));
    out.put("acked_at", time(mention.ackedAt()));
    out.put("still_mentioned", item.stillMentioned());
    out.put("mention_removed_at", time(item.mentionRemovedAt()));
    out.put("edited_at", time(message.editedAt()));
    out.set("claim", claim(mention, now));
    return out;
  }

  /** {@code {key_id, expires_at}} while a claim is held, else null. */
  static JsonNode claim(Mention mention, Instant now) {
    if (!mention.isClaimedAt(now)) {
      return NullNode.getInstance();
    }
    ObjectNode claim = object();
    claim.put("key_id", mention.claimedByKey());
    claim.put("expires_at", time(mention.claimExpiresAt()));
    return claim;
  }

  /** A wake-feed item: {@code {seq, type, mention?, message}} (extensions §5). */
  public static ObjectNode agentEvent(AgentEvent e, Instant now) {
    ObjectNode out = object();
    out.put("seq", e.seq());
    out.put("type", e.type());
    if (e.mention() != null) {
      out.set("mention", mention(e.mention(), now));
    }
    out.set("message", message(e.message(), now));
    return out;
  }

  public static ObjectNode subscription(Subscription s) {
    ObjectNode out = object();
    out.put("channel_id", s.channelId());
    out.set("actor", actorRef(s.actor()));
    out.put("subscribed_at", time(s.createdAt()));
    return out;
  }

  public static ObjectNode reader(Reader r) {
    ObjectNode out = object();
    out.set("actor", actorRef(r.actor()));
    out.put("read_through_seq", r.readThroughSeq());
    out.put("unread", r.unread());
    out.put("updated_at", time(r.updatedAt()));
    return out;
  }

  public static ObjectNode session(Session s) {
    ObjectNode out = object();
    out.put("id", s.id());
    out.put("name", s.name());
    out.putRawValue("state", new RawValue(s.stateJson()));
    out.put("created_at", time(s.createdAt()));
    out.put("updated_at", time(s.updatedAt()));
    out.put("expires_at", time(s.expiresAt()));
    return out;
  }
}
