package dev.backchannel.store.jdbc;

import dev.backchannel.maintenance.CleanupRun;
import dev.backchannel.maintenance.CleanupStore;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

final class JdbcCleanupStore implements CleanupStore {
  private static final String INSERT = """
      INSERT INTO cleanup_runs (id, started_at, finished_at, status, summary, failure_message)
      VALUES (?, ?, ?, ?, ?, ?)""";
  private static final String LAST = "SELECT * FROM cleanup_runs ORDER BY started_at DESC, rowid DESC LIMIT 1";
  private static final String PURGE = "DELETE FROM cleanup_runs WHERE started_at < ?";

  private final ReadPool reads;

  JdbcCleanupStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public void record(Tx tx, CleanupRun run) {
    ((JdbcTx) tx).update(INSERT, run.id(), run.startedAt(), run.finishedAt(), run.status(),
        SqlJson.write(run.counts()), run.failureMessage());
  }

  @Override
  public Future<Optional<CleanupRun>> last() {
    return reads.one(LAST, row -> new CleanupRun(
        row.text("id"),
        row.instant("started_at"),
        row.instantOrNull("finished_at"),
        row.text("status"),
        counts(SqlJson.map(row.text("summary"))),
        row.text("failure_message")));
  }

  @Override
  public int purge(Tx tx, Instant before) {
    return ((JdbcTx) tx).update(PURGE, before);
  }

  private static Map<String, Long> counts(Map<String, Object> summary) {
    Map<String, Long> counts = new LinkedHashMap<>();
    summary.forEach((k, v) -> counts.put(k, v instanceof Number n ? n.longValue() : 0L));
    return counts;
  }
}
