package dev.backchannel.actor;

import dev.backchannel.key.ApiKey;
import dev.backchannel.key.KeyIssueListener;
import dev.backchannel.store.Tx;
import java.util.List;
import java.util.UUID;

/** Gives every new key its default actor, named after the key's label (contract §4.1). */
public final class DefaultActors implements KeyIssueListener {
  private final ActorStore actors;

  public DefaultActors(ActorStore actors) {
    this.actors = actors;
  }

  @Override
  public void issued(Tx tx, ApiKey key) {
    actors.insert(tx, new Actor(UUID.randomUUID().toString(), key.ownerId(), key.keyId(), key.agentLabel(), "", "{}",
        List.of(), tx.now(), tx.now()));
  }
}
