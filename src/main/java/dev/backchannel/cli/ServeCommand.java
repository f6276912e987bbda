package dev.backchannel.cli;

import dev.backchannel.Server;
import dev.backchannel.config.Config;
import dev.backchannel.ops.Logging;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/** {@code serve}: runs the server until SIGTERM or SIGINT, then shuts down gracefully. */
public final class ServeCommand {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  private ServeCommand() {}

  public static int run(Config config) throws Exception {
    Logging.configure(config.logFormat());
    Server server = Server.start(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      server.stop();
      LOG.info("stopped cleanly");
      stopped.countDown();
    }, "backchannel-shutdown"));
    System.out.println("Backchannel listening on http://" + hostForUrl(config.host()) + ":" + server.port());
    stopped.await();
    return 0;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
