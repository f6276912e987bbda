package dev.backchannel;

import dev.backchannel.config.Config;
import dev.backchannel.database.Database;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.postgres.PostgresStore;
import dev.backchannel.store.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** Opens the store the configuration names; the one place that knows the adapters. */
public final class Stores {
  private Stores() {}

  /**
   * Opens (and migrates) the configured store. {@code onCommit} receives every committed batch of
   * events, in commit order.
   */
  public static Database open(Vertx vertx, Config config, Clock clock, Metrics metrics,
      Consumer<List<Committed>> onCommit) {
    if (config.postgres()) {
      return PostgresStore.open(vertx, new PostgresStore.Options(config.postgresUrl(), config.postgresPoolSize(),
          config.writerMaxBatch(), config.postgresLockTimeoutMs()), clock, metrics, onCommit);
    }
    return SqliteStore.open(vertx, new SqliteStore.Options(config.db(), config.sqliteSynchronous(),
        config.sqliteBusyTimeoutMs(), config.readPoolSize(), config.writerMaxBatch()), clock, metrics, onCommit);
  }
}
