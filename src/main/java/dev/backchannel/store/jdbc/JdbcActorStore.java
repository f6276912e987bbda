package dev.backchannel.store.jdbc;

import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorStore;
import dev.backchannel.actor.ActorWebhook;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

final class JdbcActorStore implements ActorStore {
  private static final String COLUMNS = """
      SELECT a.*, (SELECT %s FROM actor_aliases WHERE actor_id = a.id) AS aliases_json
      FROM actors a""";
  private static final String BY_ID = " WHERE a.id = ?";
  private static final String BY_ID_OR_ALIAS = " " + """
       WHERE a.id = (SELECT id FROM actors WHERE id = ?
                     UNION ALL SELECT actor_id FROM actor_aliases WHERE alias = ? LIMIT 1)""";
  private static final String BY_NAME = " WHERE a.owner_id = ? AND a.name = ? ORDER BY a.created_at, a.rowid LIMIT 1";
  private static final String ALL_BY_NAME = " WHERE a.name = ? ORDER BY a.created_at, a.rowid LIMIT ?";
  private static final String INSERT = """
      INSERT INTO actors (id, owner_id, created_by_key_id, name, description, metadata, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String ALIAS_TAKEN = "SELECT 1 FROM actor_aliases WHERE alias = ?";
  private static final String ADD_ALIAS = "INSERT INTO actor_aliases (alias, actor_id) VALUES (?, ?)";
  private static final String WEBHOOK = "SELECT * FROM actor_webhooks WHERE actor_id = ?";
  private static final String PUT_WEBHOOK = """
      INSERT INTO actor_webhooks (actor_id, url, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (actor_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at""";
  private static final String DELETE_WEBHOOK = "DELETE FROM actor_webhooks WHERE actor_id = ?";

  private final ReadPool reads;
  private final String byId;
  private final String byIdOrAlias;
  private final String byName;
  private final String allByName;

  JdbcActorStore(ReadPool reads, Dialect dialect) {
    this.reads = reads;
    String columns = COLUMNS.formatted(dialect.jsonArrayAgg("alias"));
    this.byId = columns + BY_ID;
    this.byIdOrAlias = columns + BY_ID_OR_ALIAS;
    this.byName = columns + BY_NAME;
    this.allByName = columns + ALL_BY_NAME;
  }

  @Override
  public Future<Optional<Actor>> findByIdOrAlias(String ref) {
    return reads.one(byIdOrAlias, JdbcActorStore::actor, ref, ref);
  }

  @Override
  public Optional<Actor> findByIdOrAlias(Tx tx, String ref) {
    return sql(tx).one(byIdOrAlias, JdbcActorStore::actor, ref, ref);
  }

  @Override
  public Future<Optional<Actor>> findByName(String ownerId, String name) {
    return reads.one(byName, JdbcActorStore::actor, ownerId, name);
  }

  @Override
  public Optional<Actor> findByName(Tx tx, String ownerId, String name) {
    return sql(tx).one(byName, JdbcActorStore::actor, ownerId, name);
  }

  @Override
  public Future<Optional<Actor>> find(String id) {
    return reads.one(byId, JdbcActorStore::actor, id);
  }

  @Override
  public Optional<Actor> find(Tx tx, String id) {
    return sql(tx).one(byId, JdbcActorStore::actor, id);
  }

  @Override
  public List<Actor> findAllByName(Tx tx, String name, int limit) {
    return sql(tx).list(allByName, JdbcActorStore::actor, name, limit);
  }

  @Override
  public void insert(Tx tx, Actor a) {
    sql(tx).update(INSERT, a.id(), a.ownerId(), a.createdByKeyId(), a.name(), a.description(), a.metadataJson(),
        a.createdAt(), a.updatedAt());
  }

  @Override
  public boolean aliasTaken(Tx tx, String alias) {
    return sql(tx).exists(ALIAS_TAKEN, alias);
  }

  @Override
  public void addAlias(Tx tx, String actorId, String alias) {
    sql(tx).update(ADD_ALIAS, alias, actorId);
  }

  @Override
  public Future<Optional<ActorWebhook>> webhook(String actorId) {
    return reads.one(WEBHOOK, JdbcActorStore::webhook, actorId);
  }

  @Override
  public Optional<ActorWebhook> webhook(Tx tx, String actorId) {
    return sql(tx).one(WEBHOOK, JdbcActorStore::webhook, actorId);
  }

  private static ActorWebhook webhook(Columns row) {
    return new ActorWebhook(row.text("actor_id"), row.text("url"), row.text("secret"), row.instant("updated_at"));
  }

  @Override
  public void putWebhook(Tx tx, ActorWebhook w) {
    sql(tx).update(PUT_WEBHOOK, w.actorId(), w.url(), w.secret(), w.updatedAt(), w.updatedAt());
  }

  @Override
  public void deleteWebhook(Tx tx, String actorId) {
    sql(tx).update(DELETE_WEBHOOK, actorId);
  }

  private static Actor actor(Columns row) {
    return new Actor(
        row.text("id"),
        row.text("owner_id"),
        row.text("created_by_key_id"),
        row.text("name"),
        row.text("description"),
        row.text("metadata"),
        SqlJson.sortedStrings(row.text("aliases_json")),
        row.instant("created_at"),
        row.instant("updated_at"));
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
