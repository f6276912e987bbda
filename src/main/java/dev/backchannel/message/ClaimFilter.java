package dev.backchannel.message;

import java.util.Optional;

/** The {@code status} filter of a message listing. */
public enum ClaimFilter {
  UNCLAIMED,
  CLAIMED;

  public static Optional<ClaimFilter> parse(String value) {
    if ("unclaimed".equals(value)) {
      return Optional.of(UNCLAIMED);
    }
    return "claimed".equals(value) ? Optional.of(CLAIMED) : Optional.empty();
  }
}
