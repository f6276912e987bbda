package dev.backchannel.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** One HTTP server instance per event loop, all sharing the port and the same {@link HttpDeps}. */
public final class HttpVerticle extends VerticleBase {
  private final HttpDeps deps;
  private final HttpServerOptions options;
  private HttpServer server;

  public HttpVerticle(HttpDeps deps, HttpServerOptions options) {
    this.deps = deps;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options)
        .requestHandler(ApiRouter.create(vertx, deps))
        .invalidRequestHandler(new InvalidRequests());
    return server.listen();
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(deps.config().shutdownTimeoutSeconds(), TimeUnit.SECONDS);
  }
}
