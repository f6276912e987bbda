package dev.backchannel;

import dev.backchannel.config.Config;
import dev.backchannel.database.Database;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.CommitSinks;
import dev.backchannel.store.postgres.PostgresStore;
import dev.backchannel.store.sqlite.SqliteStore;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Opens the store the configuration names; the one place that knows the adapters. */
public final class Stores {
  private Stores() {}

  /** Opens (and migrates) the configured store, which hands what commits to {@code sinks}. */
  public static Database open(Vertx vertx, Config config, Clock clock, Metrics metrics, CommitSinks sinks) {
    if (config.postgres()) {
      return PostgresStore.open(vertx, new PostgresStore.Options(config.postgresUrl(), config.postgresPoolSize(),
          config.writerMaxBatch(), config.postgresLockTimeoutMs()), clock, metrics, sinks);
    }
    return SqliteStore.open(vertx, new SqliteStore.Options(config.db(), config.sqliteSynchronous(),
        config.sqliteBusyTimeoutMs(), config.readPoolSize(), config.writerMaxBatch()), clock, metrics, sinks.both());
  }
}
