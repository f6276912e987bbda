package dev.backchannel.actor;

import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Actors, their aliases and mention webhooks (contract §2.4, §4.8). */
public final class ActorService {
  private final Store store;
  private final ActorStore actors;

  public ActorService(Store store, ActorStore actors) {
    this.store = store;
    this.actors = actors;
  }

  public Actor create(Tx tx, Caller caller, String name, String description, String metadataJson) {
    Actor actor = new Actor(UUID.randomUUID().toString(), caller.ownerId(), caller.keyId(), name, description,
        metadataJson, List.of(), tx.now(), tx.now());
    actors.insert(tx, actor);
    return actor;
  }

  /** Any actor, by id or alias, whoever owns it. */
  public Future<Actor> get(String ref) {
    return actors.findByIdOrAlias(ref).map(found -> found.orElseThrow(ActorService::notFound));
  }

  public Actor addAlias(Tx tx, String ref, String alias) {
    Actor actor = actors.findByIdOrAlias(tx, ref).orElseThrow(ActorService::notFound);
    if (actors.aliasTaken(tx, alias)) {
      throw ApiError.ALIAS_CONFLICT.exception("Actor alias '" + alias + "' is already in use");
    }
    actors.addAlias(tx, actor.id(), alias);
    return actors.find(tx, actor.id()).orElseThrow();
  }

  public ActorWebhook setWebhook(Tx tx, Caller caller, String actorId, String url, String secret) {
    owned(tx, caller, actorId);
    ActorWebhook webhook = new ActorWebhook(actorId, url, secret, tx.now());
    actors.putWebhook(tx, webhook);
    return webhook;
  }

  public Future<ActorWebhook> webhook(Caller caller, String actorId) {
    return actors.find(actorId)
        .map(found -> requireOwner(caller, found.orElseThrow(ActorService::notFound)))
        .compose(actor -> actors.webhook(actorId))
        .map(found -> found.orElseThrow(() -> ApiError.WEBHOOK_NOT_FOUND.exception()));
  }

  public Void deleteWebhook(Tx tx, Caller caller, String actorId) {
    owned(tx, caller, actorId);
    actors.deleteWebhook(tx, actorId);
    return null;
  }

  /**
   * The actor a claim, release or ack acts as (contract §2.4): the requested id or alias (which
   * must belong to the caller's owner), else the owner's actor of that name, else a new actor of
   * that name. Absent means the key's default actor name.
   */
  public Actor resolveOrCreate(Tx tx, Caller caller, String requested) {
    String ref = requested == null ? caller.defaultActorName() : requested;
    Optional<Actor> byRef = actors.findByIdOrAlias(tx, ref);
    if (byRef.isPresent()) {
      return requireOwner(caller, byRef.get());
    }
    return actors.findByName(tx, caller.ownerId(), ref).orElseGet(() -> {
      Actor created = new Actor(UUID.randomUUID().toString(), caller.ownerId(), caller.keyId(), ref, "", "{}",
          List.of(), tx.now(), tx.now());
      actors.insert(tx, created);
      return created;
    });
  }

  /** The actor a message is posted as: id or alias only, owned by the caller's owner (contract §4.6). */
  public Actor resolveOwned(Tx tx, Caller caller, String ref) {
    return requireOwner(caller, actors.findByIdOrAlias(tx, ref).orElseThrow(ActorService::notFound));
  }

  /** An existing actor by id or alias (any owner), else by name among the caller's owner's actors. */
  public Future<Actor> resolveExisting(Caller caller, String ref) {
    return actors.findByIdOrAlias(ref)
        .compose(found -> found.isPresent() ? Future.succeededFuture(found) : actors.findByName(caller.ownerId(), ref))
        .map(found -> found.orElseThrow(ActorService::notFound));
  }

  /** Mentions resolve by id or alias, globally, with no ownership check. */
  public Optional<Actor> resolveMention(Tx tx, String ref) {
    return actors.findByIdOrAlias(tx, ref);
  }

  public List<Actor> findAllByName(Tx tx, String name, int limit) {
    return actors.findAllByName(tx, name, limit);
  }

  private Actor owned(Tx tx, Caller caller, String actorId) {
    return requireOwner(caller, actors.find(tx, actorId).orElseThrow(ActorService::notFound));
  }

  private static Actor requireOwner(Caller caller, Actor actor) {
    if (!actor.ownerId().equals(caller.ownerId())) {
      throw ApiError.ACTOR_FORBIDDEN.exception("Actor '" + actor.name() + "' belongs to another owner");
    }
    return actor;
  }

  private static RuntimeException notFound() {
    return ApiError.ACTOR_NOT_FOUND.exception();
  }
}
