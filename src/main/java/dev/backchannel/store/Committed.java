package dev.backchannel.store;

/**
 * Something the Writer committed that live consumers (streams, long-poll waiters, wake feeds)
 * may want to see. Emitted only after COMMIT, in commit order.
 *
 * @param kind what happened (see {@link Kind})
 * @param channelId the channel it happened in, or null for changes outside channels
 * @param seq the sequence number of the change, strictly increasing in commit order
 * @param subject the committed value (a message, a channel, ...)
 */
public record Committed(Kind kind, String channelId, long seq, Object subject) {
  /** The kinds of change live consumers can subscribe to. */
  public enum Kind {
    MESSAGE_POSTED,
    MESSAGE_CLAIMED,
    MESSAGE_RELEASED,
    MESSAGE_ACKED,
    MESSAGE_RETRACTED,
    /** The posting key changed a message's content or metadata; the subject is the message after. */
    MESSAGE_EDITED,
    MESSAGE_EXPIRED,
    /** A message used up its deliveries and left the channel; the subject is the message before. */
    MESSAGE_DEAD_LETTERED,
    /** An actor was mentioned; the subject is the agent event (mention and message). */
    MENTIONED,
    /** An actor subscribed to a channel; the subject is the subscription. */
    SUBSCRIBED,
    /** The last of an owner's actors left a channel; the subject is the subscription. */
    UNSUBSCRIBED,
    /** A lease was extended by a heartbeat; the subject is the message. */
    LEASE_RENEWED,
    CHANNEL_CHANGED,
    CHANNEL_DELETED,
    /** A channel went from open to restricted: its streams re-check access by reconnecting. */
    ACCESS_RESTRICTED,
    /** A key lost membership of a channel; the subject is the key id. */
    MEMBER_REMOVED,
    /** A channel, its aliases, links or members changed; caches of channel lookups are stale. */
    DIRECTORY_CHANGED,
    /** A key was revoked; the subject is the key id. */
    KEY_REVOKED,
    /** A key's scopes changed; the subject is the key id. */
    KEY_CHANGED,
    /** Public key minting was opened or closed; the subject is {@code "true"} or {@code "false"}. */
    MINTING_CHANGED,
    /**
     * This process missed other processes' commits (they left the commit log before it read
     * them): its live streams end, so their clients resume from the tables. Never stored.
     */
    LIVE_GAP
  }
}
