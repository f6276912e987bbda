package dev.backchannel.message;

import java.util.UUID;

/** Where lease tokens come from: random by default, a fixed sequence in tests that assert on them. */
@FunctionalInterface
public interface LeaseTokens {
  LeaseTokens RANDOM = () -> UUID.randomUUID().toString();

  String next();
}
