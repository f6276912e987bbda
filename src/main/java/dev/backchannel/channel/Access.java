package dev.backchannel.channel;

import java.util.Locale;
import java.util.Optional;

/** Open channels admit any key; restricted ones only the creator and members (contract §2.6). */
public enum Access {
  OPEN,
  RESTRICTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Access> parse(String value) {
    for (Access access : values()) {
      if (access.wire().equals(value)) {
        return Optional.of(access);
      }
    }
    return Optional.empty();
  }
}
