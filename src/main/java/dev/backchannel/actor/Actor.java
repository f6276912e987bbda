package dev.backchannel.actor;

import java.time.Instant;
import java.util.List;

/**
 * A named identity an agent acts as. Names are not unique; ids and aliases are.
 *
 * @param metadataJson the actor's metadata object as JSON text
 */
public record Actor(
    String id,
    String ownerId,
    String createdByKeyId,
    String name,
    String description,
    String metadataJson,
    List<String> aliases,
    Instant createdAt,
    Instant updatedAt) {

  public ActorRef ref() {
    return new ActorRef(id, name);
  }
}
