package dev.backchannel.ops;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Work to do when the server stops, before the HTTP servers stop accepting and wait for open
 * requests: end event streams, answer parked long-polls. Each hook returns a future that
 * completes when its work is done; the server waits for all of them, up to its shutdown timeout.
 */
public final class ShutdownHooks {
  private static final Logger LOG = Logger.getLogger(ShutdownHooks.class.getName());

  private final List<Supplier<Future<?>>> beforeHttp = new CopyOnWriteArrayList<>();

  /** Adds a hook; running the returned action removes it again. */
  public Runnable beforeHttpShutdown(Supplier<Future<?>> hook) {
    beforeHttp.add(hook);
    return () -> beforeHttp.remove(hook);
  }

  /** Starts every hook at once; completes when all have finished, whether or not they failed. */
  public Future<Void> runBeforeHttp() {
    List<Future<?>> running = new ArrayList<>();
    for (Supplier<Future<?>> hook : beforeHttp) {
      try {
        running.add(hook.get());
      } catch (RuntimeException e) {
        running.add(Future.failedFuture(e));
      }
    }
    return Future.join(running).<Void>mapEmpty().recover(e -> {
      LOG.warning("a shutdown hook failed: " + e);
      return Future.succeededFuture();
    });
  }
}
