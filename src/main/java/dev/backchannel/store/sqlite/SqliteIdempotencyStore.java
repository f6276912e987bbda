package dev.backchannel.store.sqlite;

import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.idempotency.StoredResponse;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

final class SqliteIdempotencyStore implements IdempotencyStore {
  private static final String FIND = """
      SELECT status, content_type, CAST(body AS TEXT) AS body, source FROM idempotency_records
      WHERE scope_key = ? AND expires_at > ?""";
  // contract §5.9: a later write with the same key overwrites the record.
  private static final String PUT = """
      INSERT OR REPLACE INTO idempotency_records (scope_key, key_id, source, status, content_type, body, created_at,
        expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String REMOVE = "DELETE FROM idempotency_records WHERE scope_key = ?";
  private static final String PURGE = "DELETE FROM idempotency_records WHERE expires_at <= ?";

  private final ReadPool reads;

  SqliteIdempotencyStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public Optional<StoredResponse> find(Tx tx, String scopeKey, Instant now) {
    return ((SqliteTx) tx).one(FIND, row -> new StoredResponse(
        row.int32("status"),
        row.text("content_type"),
        row.text("body").getBytes(StandardCharsets.UTF_8),
        row.text("source")), scopeKey, Timestamps.micros(now));
  }

  @Override
  public void put(Tx tx, String scopeKey, String keyId, StoredResponse r, Instant at, Instant expiresAt) {
    ((SqliteTx) tx).update(PUT, scopeKey, keyId, r.source(), r.status(), r.contentType(),
        new String(r.body(), StandardCharsets.UTF_8), at, expiresAt);
  }

  @Override
  public void remove(Tx tx, String scopeKey) {
    ((SqliteTx) tx).update(REMOVE, scopeKey);
  }

  @Override
  public int purgeExpired(Tx tx, Instant now) {
    return ((SqliteTx) tx).update(PURGE, now);
  }
}
