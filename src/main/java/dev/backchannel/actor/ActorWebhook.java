package dev.backchannel.actor;

import java.time.Instant;

/** Where mentions of an actor are pushed (contract §4.8, §5.14). */
public record ActorWebhook(String actorId, String url, String secret, Instant updatedAt) {
  public boolean hasSecret() {
    return secret != null && !secret.isEmpty();
  }
}
