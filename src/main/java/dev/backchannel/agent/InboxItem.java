package dev.backchannel.agent;

import dev.backchannel.message.Message;
import java.time.Instant;

/**
 * One inbox item: a mention of one of the owner's actors, with the message as it is now (edits
 * included) and the item's own state.
 *
 * @param statusAt when the status last changed, or null while it never did
 * @param completionRef the evidence given when it was completed, or null
 * @param mentionRemovedAt when an edit took the mention out of the message, or null while it is still in it
 */
public record InboxItem(Mention mention, Message message, InboxStatus status, Instant statusAt,
    CompletionRef completionRef, Instant mentionRemovedAt) {

  public boolean stillMentioned() {
    return mentionRemovedAt == null;
  }
}
