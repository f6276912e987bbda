package dev.backchannel.http;

import dev.backchannel.ops.LogFields;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request on the {@code backchannel.access} logger: method, route template, status,
 * duration, request id and client address. Never the raw path, query string or headers: paths
 * and queries can carry invitation ids and stream tokens, headers carry keys.
 */
final class AccessLog {
  static final Logger LOG = Logger.getLogger("backchannel.access");

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  void record(RoutingContext ctx, String route, int status, long nanos) {
    if (!enabled || !LOG.isLoggable(Level.INFO)) {
      return;
    }
    String method = ctx.request().method().name();
    double millis = Math.round(nanos / 1e5) / 10.0;
    String requestId = Requests.requestId(ctx);
    String clientIp = Requests.clientIp(ctx);
    String line = method + " " + route + " " + status + " " + millis + " ms " + clientIp + " " + requestId;
    LogFields.of("method", method, "route", route, "status", status, "duration_ms", millis,
        "request_id", requestId, "client_ip", clientIp).log(LOG, Level.INFO, line, null);
  }
}
