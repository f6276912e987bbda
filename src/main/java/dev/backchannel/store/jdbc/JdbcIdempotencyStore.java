package dev.backchannel.store.jdbc;

import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.idempotency.StoredResponse;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

final class JdbcIdempotencyStore implements IdempotencyStore {
  private static final String FIND = """
      SELECT status, content_type, %s AS body, source FROM idempotency_records
      WHERE scope_key = ? AND expires_at > ?""";
  // contract §5.9: a later write with the same key overwrites the record.
  private static final String PUT = """
      INSERT INTO idempotency_records (scope_key, key_id, source, status, content_type, body, created_at,
        expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (scope_key) DO UPDATE SET key_id = excluded.key_id, source = excluded.source,
        status = excluded.status, content_type = excluded.content_type, body = excluded.body,
        created_at = excluded.created_at, expires_at = excluded.expires_at""";
  private static final String REMOVE = "DELETE FROM idempotency_records WHERE scope_key = ?";
  private static final String PURGE = "DELETE FROM idempotency_records WHERE expires_at <= ?";

  private final ReadPool reads;
  private final String find;

  JdbcIdempotencyStore(ReadPool reads, Dialect dialect) {
    this.reads = reads;
    this.find = FIND.formatted(dialect.bytesAsText("body"));
  }

  @Override
  public Optional<StoredResponse> find(Tx tx, String scopeKey, Instant now) {
    return ((JdbcTx) tx).one(find, row -> new StoredResponse(
        row.int32("status"),
        row.text("content_type"),
        row.text("body").getBytes(StandardCharsets.UTF_8),
        row.text("source")), scopeKey, Timestamps.micros(now));
  }

  @Override
  public void put(Tx tx, String scopeKey, String keyId, StoredResponse r, Instant at, Instant expiresAt) {
    ((JdbcTx) tx).update(PUT, scopeKey, keyId, r.source(), r.status(), r.contentType(), r.body(), at, expiresAt);
  }

  @Override
  public void remove(Tx tx, String scopeKey) {
    ((JdbcTx) tx).update(REMOVE, scopeKey);
  }

  @Override
  public int purgeExpired(Tx tx, Instant now) {
    return ((JdbcTx) tx).update(PURGE, now);
  }
}
