package dev.backchannel.channel;

import java.util.List;

/**
 * A validated request to create a channel. Null means "use the default" for the boxed fields.
 *
 * @param metadataSchemaJson the schema object as JSON text
 * @param related ids or aliases of related channels
 */
public record ChannelDraft(
    String name,
    ChannelMode mode,
    Access access,
    Boolean discoverable,
    String description,
    String metadataSchemaJson,
    String pinnedMessage,
    String webhookUrl,
    String webhookSecret,
    Integer ttlSeconds,
    Integer retentionDays,
    Integer maxMessages,
    Integer maxWritesPerMinute,
    List<String> related,
    QueuePolicy queue) {

  public static ChannelDraft of(String name, ChannelMode mode, Access access) {
    return new ChannelDraft(name, mode, access, null, "", "{}", null, null, null, null, null, null, null, List.of(),
        QueuePolicy.NONE);
  }

  public ChannelDraft withDescription(String newDescription) {
    return new ChannelDraft(name, mode, access, discoverable, newDescription, metadataSchemaJson, pinnedMessage,
        webhookUrl, webhookSecret, ttlSeconds, retentionDays, maxMessages, maxWritesPerMinute, related, queue);
  }
}
