package dev.backchannel.key;

/** A key just minted; {@code raw} is returned to the client once and never stored. */
public record IssuedKey(String raw, ApiKey key) {}
