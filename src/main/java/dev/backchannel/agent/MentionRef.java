package dev.backchannel.agent;

/**
 * How a caller names the mention it claims: by mention (or inbox item, the same id), or by the
 * message it is about ({@code source_type: message}). Exactly one of the two is set.
 */
public record MentionRef(String mentionId, String messageId) {
  public static MentionRef ofMention(String id) {
    return new MentionRef(id, null);
  }

  public static MentionRef ofMessage(String id) {
    return new MentionRef(null, id);
  }
}
