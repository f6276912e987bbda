package dev.backchannel.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Takes the connection's idle timeout off while it carries an event stream, and puts it back
 * when the stream ends and the connection stays open for more requests.
 *
 * <p>A stream never trips the timeout: it sends heartbeats well within it (ConfigLoader keeps the
 * longest heartbeat at half the timeout), and a reader that stops reading is cut by the write
 * queue bound instead. But while the timeout's handler is in the pipeline, every frame written
 * passes through it and gets a promise and a listener, and each connection holds its handler and
 * timer (about 280 bytes of an idle stream's heap).
 */
final class StreamIdleTimeout {
  private StreamIdleTimeout() {}

  /** Call on the connection's event loop before the stream's first write. */
  static void suspend(RoutingContext ctx) {
    // HTTP/2 streams share their connection, and its timeout, with other requests.
    if (ctx.request().version() == HttpVersion.HTTP_2
        || !(ctx.request().connection() instanceof ConnectionBase connection)) {
      return;
    }
    ChannelPipeline pipeline = connection.channel().pipeline();
    IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
    // Only the one timeout serverOptions sets (reads and writes together) is put back as it was.
    if (idle == null || idle.getReaderIdleTimeInMillis() > 0 || idle.getWriterIdleTimeInMillis() > 0) {
      return;
    }
    List<String> names = pipeline.names();
    String name = pipeline.context(idle).name();
    String next = names.get(names.indexOf(name) + 1);
    long allIdleMillis = idle.getAllIdleTimeInMillis();
    pipeline.remove(idle);
    ctx.addEndHandler(ended -> restore(pipeline, name, next, allIdleMillis));
  }

  private static void restore(ChannelPipeline pipeline, String name, String next, long allIdleMillis) {
    if (pipeline.channel().isActive() && pipeline.get(name) == null && pipeline.get(next) != null) {
      pipeline.addBefore(next, name, new IdleStateHandler(0, 0, allIdleMillis, TimeUnit.MILLISECONDS));
    }
  }
}
