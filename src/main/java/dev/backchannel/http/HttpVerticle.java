package dev.backchannel.http;

import dev.backchannel.stream.Hub;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** One HTTP server instance per event loop, all sharing the port and the same {@link HttpDeps}. */
public final class HttpVerticle extends VerticleBase {
  private final HttpDeps deps;
  private final HttpServerOptions options;
  private HttpServer server;
  private Hub hub;

  public HttpVerticle(HttpDeps deps, HttpServerOptions options) {
    this.deps = deps;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    hub = new Hub(vertx, deps.frames(), deps.ticker());
    hub.start();
    server = vertx.createHttpServer(options)
        .connectionHandler(this::countConnection)
        .requestHandler(ApiRouter.create(vertx, deps, hub))
        .invalidRequestHandler(new InvalidRequests());
    return server.listen();
  }

  private void countConnection(HttpConnection connection) {
    deps.metrics().connectionOpened();
    connection.closeHandler(v -> deps.metrics().connectionClosed());
  }

  public int port() {
    return server.actualPort();
  }

  /** Ends every stream first: a graceful shutdown would otherwise wait for them (stack-notes gotcha 16). */
  @Override
  public Future<?> stop() {
    if (hub != null) {
      hub.stop();
    }
    return server == null ? Future.succeededFuture()
        : server.shutdown(deps.config().shutdownTimeoutSeconds(), TimeUnit.SECONDS);
  }
}
