package dev.backchannel.channel;

import java.util.List;
import java.util.Optional;

/**
 * A validated PATCH of a channel. A null field is left unchanged; for the clearable fields an
 * empty {@link Optional} clears the value.
 */
public record ChannelPatch(
    String name,
    ChannelMode mode,
    Access access,
    Boolean discoverable,
    String description,
    String metadataSchemaJson,
    Optional<String> pinnedMessage,
    List<String> related,
    Integer retentionDays,
    Optional<Integer> maxMessages,
    Optional<Integer> maxWritesPerMinute,
    Boolean paused,
    Optional<Integer> maxDeliveries,
    Optional<String> deadLetterChannel,
    Optional<Integer> maxInFlight) {

  /**
   * §10.2 #8: who may read or write a channel, and what it keeps, is not for any member to decide.
   * Besides name, access, discoverable and paused, that covers the fields that would let another
   * key break or empty the channel: mode, schema, retention and the two limits (a stranger setting
   * max_messages to 1 on an open channel would delete its messages).
   */
  public boolean touchesOwnerOnlyFields() {
    return name != null || access != null || discoverable != null || paused != null || mode != null
        || metadataSchemaJson != null || retentionDays != null || maxMessages != null || maxWritesPerMinute != null
        || touchesQueuePolicy();
  }

  /** Extensions §4: how failing work is redelivered or dead-lettered is the owner's decision. */
  public boolean touchesQueuePolicy() {
    return maxDeliveries != null || deadLetterChannel != null || maxInFlight != null;
  }

  public static ChannelPatch paused(boolean paused) {
    return new ChannelPatch(null, null, null, null, null, null, null, null, null, null, null, paused, null, null, null);
  }
}
