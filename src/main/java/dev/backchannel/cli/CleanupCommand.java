package dev.backchannel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.Server;
import dev.backchannel.Stores;
import dev.backchannel.config.Config;
import dev.backchannel.database.Database;
import dev.backchannel.maintenance.CleanupRun;
import dev.backchannel.maintenance.Janitor;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.CommitSinks;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code cleanup}: one janitor pass over the database (expire, archive, purge), then exit. */
public final class CleanupCommand {
  private CleanupCommand() {}

  public static int run(Config config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database store = Stores.open(vertx, config, Clock.systemUTC(), Metrics.NOOP, CommitSinks.NONE);
      Janitor janitor = Server.services(config, Clock.systemUTC(), Metrics.NOOP, store).janitor();
      CleanupRun run = janitor.sweep().await(10, TimeUnit.MINUTES);
      store.close().await(1, TimeUnit.MINUTES);
      Map<String, Object> summary = new LinkedHashMap<>(run.counts());
      summary.put("run_id", run.id());
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
      return 0;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
