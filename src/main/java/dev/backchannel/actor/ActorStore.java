package dev.backchannel.actor;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Storage of actors, their aliases and mention webhooks. */
public interface ActorStore {
  Future<Optional<Actor>> findByIdOrAlias(String ref);

  /** An exact actor id first, then a global actor alias (contract §2.4). */
  Optional<Actor> findByIdOrAlias(Tx tx, String ref);

  Future<Optional<Actor>> findByName(String ownerId, String name);

  /** The oldest actor with this name among the owner's actors. */
  Optional<Actor> findByName(Tx tx, String ownerId, String name);

  Future<Optional<Actor>> find(String id);

  Optional<Actor> find(Tx tx, String id);

  /** Actors of any owner with exactly this name, oldest first (for {@code @name} mentions). */
  List<Actor> findAllByName(Tx tx, String name, int limit);

  void insert(Tx tx, Actor actor);

  boolean aliasTaken(Tx tx, String alias);

  void addAlias(Tx tx, String actorId, String alias);

  Future<Optional<ActorWebhook>> webhook(String actorId);

  Optional<ActorWebhook> webhook(Tx tx, String actorId);

  void putWebhook(Tx tx, ActorWebhook webhook);

  void deleteWebhook(Tx tx, String actorId);
}
