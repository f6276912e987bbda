package dev.backchannel.channel;

import java.util.Locale;
import java.util.Optional;

/** Broadcast: every reader sees every message. Claimable: each message has at most one owner. */
public enum ChannelMode {
  BROADCAST,
  CLAIMABLE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChannelMode> parse(String value) {
    for (ChannelMode mode : values()) {
      if (mode.wire().equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
