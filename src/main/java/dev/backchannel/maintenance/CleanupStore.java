package dev.backchannel.maintenance;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** The record of janitor passes, for the status page and operators. */
public interface CleanupStore {
  void record(Tx tx, CleanupRun run);

  Future<Optional<CleanupRun>> last();

  /** Deletes run records older than {@code before}. */
  int purge(Tx tx, Instant before);
}
