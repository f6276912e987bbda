package dev.backchannel.cli;

import dev.backchannel.Server;
import dev.backchannel.config.Config;
import dev.backchannel.ops.Logging;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code serve}: runs the server until SIGTERM or SIGINT, then shuts down gracefully (streams end,
 * open requests finish, the writer drains, the WAL is checkpointed) and exits 0.
 */
public final class ServeCommand {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  private ServeCommand() {}

  public static int run(Config config) throws Exception {
    Logging.configure(config.logFormat());
    Server server = Server.start(config, Clock.systemUTC());
    CountDownLatch stopRequested = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(server), "backchannel-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // Without trapped signals the latch never opens: SIGTERM then runs the hook and the JVM exits 143.
    Signals.onTermination(stopRequested::countDown);
    System.out.println("Backchannel listening on http://" + hostForUrl(config.host()) + ":" + server.port());
    stopRequested.await();
    Runtime.getRuntime().removeShutdownHook(hook);
    stop(server);
    return 0;
  }

  private static void stop(Server server) {
    LOG.info("shutting down");
    server.stop();
    LOG.info("stopped cleanly");
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
