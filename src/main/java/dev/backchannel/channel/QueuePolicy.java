package dev.backchannel.channel;

/**
 * How a claimable channel treats failing work (extensions §4).
 *
 * @param maxDeliveries deliveries after which a message that still fails is dead-lettered; null for no limit
 * @param deadLetterChannel where such messages go (a channel id; in a draft, an id or alias); null to archive them
 * @param maxInFlight unacknowledged claims one actor may hold at once via claim-next; null for no limit
 */
public record QueuePolicy(Integer maxDeliveries, String deadLetterChannel, Integer maxInFlight) {
  public static final QueuePolicy NONE = new QueuePolicy(null, null, null);

  public boolean limitsDeliveries() {
    return maxDeliveries != null;
  }
}
