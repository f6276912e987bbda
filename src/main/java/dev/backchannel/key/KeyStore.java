package dev.backchannel.key;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Storage of API keys. Methods taking a {@link Tx} run inside the writer's transaction. */
public interface KeyStore {
  Future<Optional<ApiKey>> find(String keyId);

  boolean hasActiveLabel(Tx tx, String label);

  Optional<ApiKey> findActiveByLabel(Tx tx, String label);

  void insert(Tx tx, ApiKey key);

  /** Deactivates the key; false when it was not active. */
  boolean revoke(Tx tx, String keyId, Instant at);

  void setScopes(Tx tx, String keyId, Set<Scope> scopes);

  void touch(Tx tx, String keyId, Instant at);
}
