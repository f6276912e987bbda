package dev.backchannel.agent;

import java.util.Optional;

/** Where an inbox item stands: new, looked at, or done (with evidence). */
public enum InboxStatus {
  PENDING,
  SEEN,
  COMPLETED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<InboxStatus> parse(String raw) {
    for (InboxStatus status : values()) {
      if (status.wire().equals(raw)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
