package dev.backchannel;

import dev.backchannel.sandbox.Sandbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.logging.Logger;

/** contract §5.13: the sandbox is provisioned at every start; its bot's heartbeat and size check run every 30 s. */
final class SandboxVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(SandboxVerticle.class.getName());
  private static final long TICK_MS = 30_000;

  private final Sandbox sandbox;
  private long timer = -1;

  SandboxVerticle(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  @Override
  public Future<?> start() {
    return sandbox.provision().onSuccess(id -> timer = vertx.setPeriodic(TICK_MS, t -> sandbox.tick()
        .onFailure(e -> LOG.fine("sandbox heartbeat skipped: " + e.getMessage()))));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
