package dev.backchannel.message;

import java.time.Instant;

/**
 * The work-queue side of a message (extensions §4).
 *
 * @param priority 0 (lowest) to 9; claim-next takes higher priorities first
 * @param deliverAt when a delayed message becomes visible, or null once it is
 * @param deliveryCount how many times the message was claimed
 * @param fence the number of the current (or last) claim; stale numbers are refused
 * @param deadLetteredFrom the channel a dead letter came from, or null
 * @param lastFailure why the last delivery failed (nack reason, lease expiry), or null
 */
public record QueueState(int priority, Instant deliverAt, int deliveryCount, long fence, String deadLetteredFrom,
    String lastFailure) {
  public static final int DEFAULT_PRIORITY = 5;

  public static QueueState fresh(int priority, Instant deliverAt) {
    return new QueueState(priority, deliverAt, 0, 0, null, null);
  }

  public boolean isDueAt(Instant now) {
    return deliverAt == null || !deliverAt.isAfter(now);
  }
}
