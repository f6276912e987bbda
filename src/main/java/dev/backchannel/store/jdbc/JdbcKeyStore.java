package dev.backchannel.store.jdbc;

import dev.backchannel.key.ApiKey;
import dev.backchannel.key.KeyStore;
import dev.backchannel.key.Scope;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

final class JdbcKeyStore implements KeyStore {
  private static final String SELECT = "SELECT * FROM api_keys WHERE key_id = ?";
  private static final String ACTIVE_LABEL = "SELECT 1 FROM api_keys WHERE agent_label = ? AND active = 1";
  private static final String BY_ACTIVE_LABEL = "SELECT * FROM api_keys WHERE agent_label = ? AND active = 1";
  private static final String INSERT = """
      INSERT INTO api_keys (key_id, key_hash, owner_id, agent_label, plan, active, scopes, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)""";
  private static final String REVOKE =
      "UPDATE api_keys SET active = 0, revoked_at = ? WHERE key_id = ? AND active = 1";
  private static final String SET_SCOPES = "UPDATE api_keys SET scopes = ? WHERE key_id = ?";
  private static final String TOUCH = "UPDATE api_keys SET last_used_at = ? WHERE key_id = ?";

  private final ReadPool reads;

  JdbcKeyStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public Future<Optional<ApiKey>> find(String keyId) {
    return reads.one(SELECT, JdbcKeyStore::key, keyId);
  }

  @Override
  public boolean hasActiveLabel(Tx tx, String label) {
    return sql(tx).exists(ACTIVE_LABEL, label);
  }

  @Override
  public Optional<ApiKey> findActiveByLabel(Tx tx, String label) {
    return sql(tx).one(BY_ACTIVE_LABEL, JdbcKeyStore::key, label);
  }

  @Override
  public void insert(Tx tx, ApiKey key) {
    sql(tx).update(INSERT, key.keyId(), key.keyHash(), key.ownerId(), key.agentLabel(), key.plan(),
        scopesText(key.scopes()), key.createdAt(), key.expiresAt());
  }

  @Override
  public boolean revoke(Tx tx, String keyId, Instant at) {
    return sql(tx).update(REVOKE, at, keyId) > 0;
  }

  @Override
  public void setScopes(Tx tx, String keyId, Set<Scope> scopes) {
    sql(tx).update(SET_SCOPES, scopesText(scopes), keyId);
  }

  @Override
  public void touch(Tx tx, String keyId, Instant at) {
    sql(tx).update(TOUCH, at, keyId);
  }

  private static String scopesText(Set<Scope> scopes) {
    if (scopes == null) {
      return null;
    }
    TreeSet<String> names = new TreeSet<>();
    scopes.forEach(s -> names.add(s.wire()));
    return String.join(",", names);
  }

  private static ApiKey key(Columns row) {
    return new ApiKey(
        row.text("key_id"),
        row.text("key_hash"),
        row.text("owner_id"),
        row.text("agent_label"),
        row.text("plan"),
        row.flag("active"),
        scopes(row.text("scopes")),
        row.instant("created_at"),
        row.instantOrNull("expires_at"));
  }

  private static Set<Scope> scopes(String text) {
    if (text == null) {
      return null;
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : text.split(",")) {
      Scope.parse(name).ifPresent(scopes::add);
    }
    return scopes;
  }

  static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
