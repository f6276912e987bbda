package dev.backchannel.store.jdbc;

import dev.backchannel.audit.AuditEvent;
import dev.backchannel.audit.AuditStore;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;

final class JdbcAuditStore implements AuditStore {
  private static final String INSERT = """
      INSERT INTO security_audit (id, occurred_at, actor_key_id, subject_key_id, event_type, remote_addr, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  // contract §4.11: filter the latest `window` events instance-wide, then keep the caller's.
  private static final String INVOLVING = """
      SELECT * FROM (SELECT *, rowid AS position FROM security_audit ORDER BY occurred_at DESC, rowid DESC LIMIT ?) recent
      WHERE actor_key_id = ? OR subject_key_id = ?
      ORDER BY occurred_at DESC, position DESC LIMIT ?""";

  private final ReadPool reads;

  JdbcAuditStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public void append(Tx tx, AuditEvent e) {
    ((JdbcTx) tx).update(INSERT, e.id(), e.occurredAt(), e.actorKeyId(), e.subjectKeyId(), e.eventType(),
        e.remoteAddr(), SqlJson.write(e.detail()));
  }

  @Override
  public Future<List<AuditEvent>> involving(String keyId, int window, int limit) {
    return reads.list(INVOLVING, row -> new AuditEvent(
        row.text("id"),
        row.instant("occurred_at"),
        row.text("actor_key_id"),
        row.text("subject_key_id"),
        row.text("event_type"),
        row.text("remote_addr"),
        SqlJson.map(row.text("detail"))), window, keyId, keyId, limit);
  }
}
