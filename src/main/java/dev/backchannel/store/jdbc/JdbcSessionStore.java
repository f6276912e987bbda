package dev.backchannel.store.jdbc;

import dev.backchannel.session.Session;
import dev.backchannel.session.SessionStore;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcSessionStore implements SessionStore {
  private static final String BY_ID = "SELECT * FROM sessions WHERE id = ?";
  private static final String LIST =
      "SELECT * FROM sessions WHERE owner_key_id = ? AND expires_at > ? ORDER BY created_at DESC, rowid DESC";
  private static final String INSERT = """
      INSERT INTO sessions (id, owner_key_id, name, state, created_at, updated_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  private static final String UPDATE_STATE = "UPDATE sessions SET state = ?, updated_at = ? WHERE id = ?";
  private static final String DELETE = "DELETE FROM sessions WHERE id = ?";
  private static final String PURGE = "DELETE FROM sessions WHERE expires_at <= ?";

  private final ReadPool reads;

  JdbcSessionStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public Future<Optional<Session>> find(String id) {
    return reads.one(BY_ID, JdbcSessionStore::session, id);
  }

  @Override
  public Optional<Session> find(Tx tx, String id) {
    return ((JdbcTx) tx).one(BY_ID, JdbcSessionStore::session, id);
  }

  @Override
  public Future<List<Session>> list(String ownerKeyId, Instant now) {
    return reads.list(LIST, JdbcSessionStore::session, ownerKeyId, Timestamps.micros(now));
  }

  @Override
  public void insert(Tx tx, Session s) {
    ((JdbcTx) tx).update(INSERT, s.id(), s.ownerKeyId(), s.name(), s.stateJson(), s.createdAt(), s.updatedAt(),
        s.expiresAt());
  }

  @Override
  public void updateState(Tx tx, String id, String stateJson, Instant at) {
    ((JdbcTx) tx).update(UPDATE_STATE, stateJson, at, id);
  }

  @Override
  public boolean delete(Tx tx, String id) {
    return ((JdbcTx) tx).update(DELETE, id) > 0;
  }

  @Override
  public int purgeExpired(Tx tx, Instant now) {
    return ((JdbcTx) tx).update(PURGE, now);
  }

  private static Session session(Columns row) {
    return new Session(row.text("id"), row.text("owner_key_id"), row.text("name"), row.text("state"),
        row.instant("created_at"), row.instant("updated_at"), row.instant("expires_at"));
  }
}
