package dev.backchannel.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.actor.ActorStore;
import dev.backchannel.channel.ApprovalListener;
import dev.backchannel.channel.Channel;
import dev.backchannel.message.Message;
import dev.backchannel.message.PostListener;
import dev.backchannel.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Queues webhook deliveries inside the write that causes them (contract §5.14), so a committed
 * post always has its webhooks and a rolled-back one never does: the channel's webhook for every
 * new message ({@code message.created}) and approved access request ({@code member_added}), and
 * the webhook of every mentioned actor that has one ({@code mention}), at most one per minute per
 * (channel, actor); further mentions in that minute are dropped.
 */
public final class WebhookOutbox implements PostListener, ApprovalListener {
  public static final String MESSAGE_CREATED = "message.created";
  public static final String MEMBER_ADDED = "member_added";
  public static final String MENTION = "mention";
  static final Duration MENTION_INTERVAL = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutboxStore outbox;
  private final ActorStore actors;
  private final BiFunction<Message, Instant, JsonNode> renderMessage;
  private final AtomicBoolean queued = new AtomicBoolean();

  /**
   * @param renderMessage the message as the API renders it at a given time, so receivers get the
   *     same shape as readers
   */
  public WebhookOutbox(OutboxStore outbox, ActorStore actors, BiFunction<Message, Instant, JsonNode> renderMessage) {
    this.outbox = outbox;
    this.actors = actors;
    this.renderMessage = renderMessage;
  }

  @Override
  public void posted(Tx tx, Channel channel, Message message) {
    if (channel.webhookUrl() != null) {
      ObjectNode payload = JSON.createObjectNode();
      payload.set("message", renderMessage.apply(message, tx.now()));
      queue(tx, channel.id(), MESSAGE_CREATED, channel.webhookUrl(), channel.webhookSecret(), payload);
    }
    Instant since = tx.now().minus(MENTION_INTERVAL);
    for (String actorId : mentionedActorIds(message)) {
      actors.webhook(tx, actorId)
          .filter(webhook -> outbox.takeMentionSlot(tx, channel.id(), actorId, tx.now(), since))
          .ifPresent(webhook -> {
            ObjectNode payload = JSON.createObjectNode();
            payload.set("message", renderMessage.apply(message, tx.now()));
            payload.put("mentioned_actor_id", actorId);
            queue(tx, channel.id(), MENTION, webhook.url(), webhook.secret(), payload);
          });
    }
  }

  @Override
  public void approved(Tx tx, Channel channel, String memberKeyId, String approvedByKeyId) {
    if (channel.webhookUrl() == null) {
      return;
    }
    ObjectNode payload = JSON.createObjectNode();
    payload.put("channel_id", channel.id());
    payload.put("member_key_id", memberKeyId);
    payload.put("approved_by", approvedByKeyId);
    queue(tx, channel.id(), MEMBER_ADDED, channel.webhookUrl(), channel.webhookSecret(), payload);
  }

  /** Whether anything was queued since the last call; the delivery worker polls at once when so. */
  public boolean takeQueued() {
    return queued.getAndSet(false);
  }

  private void queue(Tx tx, String channelId, String type, String url, String secret, ObjectNode payload) {
    String body;
    try {
      body = JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("webhook payload cannot be written", e);
    }
    String signingKey = secret == null || secret.isEmpty() ? null : secret;
    outbox.enqueue(tx, new Delivery(UUID.randomUUID().toString(), channelId, type, url, signingKey, body, 0,
        tx.now()));
    queued.set(true);
  }

  private static List<String> mentionedActorIds(Message message) {
    List<String> ids = new ArrayList<>();
    if (!message.mentionsJson().contains("\"id\"")) {
      return ids;
    }
    try {
      for (JsonNode mention : JSON.readTree(message.mentionsJson())) {
        ids.add(mention.get("id").asText());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored mentions are unreadable", e);
    }
    return ids;
  }
}
