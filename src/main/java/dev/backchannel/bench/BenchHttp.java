package dev.backchannel.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The load generator's side of the wire: a Vert.x instance with one event loop per {@link Lane},
 * and per lane an HTTP/1.1 client whose connections live on that loop. Requests are asynchronous;
 * no thread waits for an answer.
 */
final class BenchHttp implements AutoCloseable {
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final List<Lane> lanes;
  private final String host;
  private final int port;

  private BenchHttp(Vertx vertx, List<Lane> lanes, String host, int port) {
    this.vertx = vertx;
    this.lanes = lanes;
    this.host = host;
    this.port = port;
  }

  static BenchHttp open(String host, int port, int threads, int connectionsPerLane) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
    List<Context> contexts = new CopyOnWriteArrayList<>();
    await(vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        contexts.add(context);
      }
    }, new DeploymentOptions().setInstances(threads)));
    BenchHttp http = new BenchHttp(vertx, new ArrayList<>(), host, port);
    for (Context context : contexts) {
      http.lanes.add(http.new Lane(context, http.client(connectionsPerLane)));
    }
    return http;
  }

  /** A client of its own, for connections held open (streams) so closing it closes them all. */
  HttpClient client(int maxConnections) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setKeepAlive(true).setTcpNoDelay(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
  }

  List<Lane> lanes() {
    return lanes;
  }

  /** The lane of worker {@code index}: workers are spread round-robin. */
  Lane lane(int index) {
    return lanes.get(index % lanes.size());
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // the JVM exits anyway; nothing is left to finish
    }
  }

  static <T> T await(Future<T> future) {
    return await(future, REQUEST_TIMEOUT_MS + 5_000);
  }

  static <T> T await(Future<T> future, long millis) {
    try {
      return future.await(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BenchException("timed out after " + millis + " ms");
    }
  }

  /** One event loop with its client. Call {@link #send} on the lane's own context, or through {@link #on}. */
  final class Lane {
    private final Context context;
    private final HttpClient client;

    Lane(Context context, HttpClient client) {
      this.context = context;
      this.client = client;
    }

    Context context() {
      return context;
    }

    /** Runs {@code work} on this lane's event loop; safe from any thread. */
    <T> Future<T> on(Supplier<Future<T>> work) {
      if (Vertx.currentContext() == context) {
        return work.get();
      }
      Promise<T> promise = Promise.promise();
      context.runOnContext(v -> work.get().onComplete(promise));
      return promise.future();
    }

    Future<Reply> send(HttpMethod method, String path, String key, String body) {
      return send(client, method, path, key, body, REQUEST_TIMEOUT_MS);
    }

    Future<Reply> send(HttpClient via, HttpMethod method, String path, String key, String body, long timeoutMs) {
      RequestOptions options = new RequestOptions().setMethod(method).setURI(path).setIdleTimeout(timeoutMs);
      if (key != null) {
        options.putHeader("X-API-Key", key);
      }
      if (body != null) {
        options.putHeader("Content-Type", "application/json");
      }
      return via.request(options).compose(request -> (body == null ? request.send() : request.send(body))
          .compose(response -> response.body().map(buffer -> new Reply(response.statusCode(), buffer))));
    }

    /** Opens a response that stays open (an event stream); the caller handles its body as it comes. */
    Future<HttpClientResponse> open(HttpClient via, String path, String key) {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path)
          .putHeader("X-API-Key", key).putHeader("Accept", "text/event-stream");
      return via.request(options).compose(request -> request.send());
    }
  }
}
