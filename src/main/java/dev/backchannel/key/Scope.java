package dev.backchannel.key;

import java.util.Arrays;
import java.util.Optional;

/** What a key may do (contract §2.3). A key without a scope list may do everything. */
public enum Scope {
  MESSAGES_READ("messages:read"),
  MESSAGES_WRITE("messages:write"),
  MESSAGES_CLAIM("messages:claim"),
  MESSAGES_ACK("messages:ack"),
  CHANNELS_READ("channels:read"),
  CHANNELS_WRITE("channels:write"),
  CHANNELS_MANAGE("channels:manage");

  private final String wire;

  Scope(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Scope> parse(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
  }
}
