package dev.backchannel.agent;

import dev.backchannel.message.Message;

/**
 * One item of an agent's wake feed: a mention of one of its actors, or a new message in a
 * channel one of its actors subscribes to ({@code message} or, on claimable channels,
 * {@code claimable}), or an edit of a message in such a channel ({@code edited}, live only).
 *
 * @param mention the mention, for {@code mention} events only
 */
public record AgentEvent(long seq, String type, Mention mention, Message message) {
  public static final String MENTION = "mention";
  public static final String MESSAGE = "message";
  public static final String CLAIMABLE = "claimable";
  public static final String EDITED = "edited";
}
