package dev.backchannel.idempotency;

import dev.backchannel.store.Tx;
import java.time.Instant;
import java.util.Optional;

/** Storage of idempotency records, keyed by the caller's key, method, path and idempotency key. */
public interface IdempotencyStore {
  Optional<StoredResponse> find(Tx tx, String scopeKey, Instant now);

  void put(Tx tx, String scopeKey, String keyId, StoredResponse response, Instant at, Instant expiresAt);

  void remove(Tx tx, String scopeKey);

  int purgeExpired(Tx tx, Instant now);
}
