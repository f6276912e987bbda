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
import java.net.URI;
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
  private final List<URI> urls;

  private BenchHttp(Vertx vertx, List<Lane> lanes, List<URI> urls) {
    this.vertx = vertx;
    this.lanes = lanes;
    this.urls = urls;
  }

  /**
   * One lane per event loop and server, ordered so that consecutive worker indexes go to
   * consecutive servers: lane {@code i} talks to server {@code i % urls.size()}.
   */
  static BenchHttp open(List<URI> urls, int threads, int connectionsPerLane) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
    List<Context> contexts = new CopyOnWriteArrayList<>();
    await(vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        contexts.add(context);
      }
    }, new DeploymentOptions().setInstances(threads)));
    BenchHttp http = new BenchHttp(vertx, new ArrayList<>(), urls);
    for (Context context : contexts) {
      for (URI url : urls) {
        http.lanes.add(http.new Lane(context, http.client(url, connectionsPerLane)));
      }
    }
    return http;
  }

  /** A client of its own to the first server, for connections held open (streams) so closing it closes them all. */
  HttpClient client(int maxConnections) {
    return client(urls.get(0), maxConnections);
  }

  private HttpClient client(URI url, int maxConnections) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost(url.getHost())
        .setDefaultPort(url.getPort() > 0 ? url.getPort() : 80)
        .setKeepAlive(true).setTcpNoDelay(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
  }

  List<Lane> lanes() {
    return lanes;
  }

  /** How many servers the lanes talk to; lane {@code n < servers()} is the first lane of server {@code n}. */
  int servers() {
    return urls.size();
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
