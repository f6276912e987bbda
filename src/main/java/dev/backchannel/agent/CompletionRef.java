package dev.backchannel.agent;

/**
 * The evidence an inbox item was completed with: a message the completing key can read (its
 * reply, usually).
 *
 * @param sourceType what kind of thing it names; {@code message} is the only kind today
 */
public record CompletionRef(String sourceType, String sourceId) {
  public static final String MESSAGE = "message";
}
