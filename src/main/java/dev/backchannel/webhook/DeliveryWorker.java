package dev.backchannel.webhook;

import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the webhook outbox continuously (contract §5.14, §10.2 #17): every second, and at once
 * when a write queued something, it claims the due deliveries and POSTs each one to the address
 * {@link WebhookTargets} checked for this attempt. A 2xx within 10 s delivers it; anything else is
 * retried after min(300, 30 × 2^attempts) seconds, and after 5 attempts it is abandoned. Times
 * come from the injected clock. Logs name the delivery id and host only, never the URL or secret.
 */
public final class DeliveryWorker extends VerticleBase {
  static final int MAX_ATTEMPTS = 5;
  static final long TIMEOUT_MS = 10_000;
  static final String USER_AGENT = "Backchannel-Webhook/1";
  private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());
  private static final long POLL_MS = 1_000;
  private static final int MAX_IN_FLIGHT = 50;
  // DNS lookups block; they get threads of their own so a slow resolver never holds the shared
  // worker pool that database reads run on.
  private static final int RESOLVER_THREADS = 4;
  // Longer than DNS plus the 10 s timeout, so a claimed delivery is recorded before anyone may retake it.
  private static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

  private final Store store;
  private final OutboxStore outbox;
  private final WebhookTargets targets;
  private final Clock clock;
  private final Metrics metrics;
  private HttpClientAgent client;
  private WorkerExecutor resolver;
  private long timer = -1;
  private int inFlight;
  private boolean polling;
  private boolean pollAgain;
  private volatile boolean wakeQueued;
  private volatile boolean stopped;

  public DeliveryWorker(Store store, OutboxStore outbox, WebhookTargets targets, Clock clock, Metrics metrics) {
    this.store = store;
    this.outbox = outbox;
    this.targets = targets;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Backoff after {@code attempts} failed attempts: 60, 120, 240, then 300 seconds. */
  static Duration backoff(int attempts) {
    return Duration.ofSeconds(Math.min(300L, 30L << Math.min(attempts, 10)));
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions()
        .setKeepAlive(false)
        .setConnectTimeout((int) TIMEOUT_MS)
        .setVerifyHost(true)
        .setForceSni(true)
        .setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
    resolver = vertx.createSharedWorkerExecutor("backchannel-webhook-dns", RESOLVER_THREADS);
    timer = vertx.setPeriodic(POLL_MS, id -> poll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return client.close().eventually(() -> resolver.close());
  }

  /** Polls at once (after a commit that queued a delivery); calls arriving together are merged. */
  public void wake() {
    Context started = context;
    if (started != null && !stopped && !wakeQueued) {
      wakeQueued = true;
      started.runOnContext(v -> {
        wakeQueued = false;
        poll();
      });
    }
  }

  private void poll() {
    if (stopped) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    int room = MAX_IN_FLIGHT - inFlight;
    if (room <= 0) {
      return;
    }
    polling = true;
    Instant now = clock.instant();
    outbox.due(now, room)
        .compose(ids -> ids.isEmpty() ? Future.succeededFuture(List.<Delivery>of())
            : store.write(tx -> outbox.claim(tx, ids, tx.now(), tx.now().plus(CLAIM_LEASE))))
        .onSuccess(claimed -> claimed.forEach(this::attempt))
        .onFailure(e -> LOG.log(Level.WARNING, "reading the webhook outbox failed: " + e.getMessage()))
        .onComplete(done -> {
          polling = false;
          if (pollAgain) {
            pollAgain = false;
            poll();
          }
        });
  }

  private void attempt(Delivery delivery) {
    inFlight++;
    resolver.executeBlocking(() -> targets.check(delivery.url()), false)
        .compose(target -> send(delivery, target))
        .onComplete(done -> {
          if (done.succeeded() && done.result() / 100 == 2) {
            record(delivery, null, "delivered");
          } else if (done.succeeded()) {
            record(delivery, "answered HTTP " + done.result(), "failed");
          } else if (done.cause() instanceof WebhookTargets.Refused refused) {
            record(delivery, "refused: " + refused.getMessage(), "refused");
          } else {
            record(delivery, describe(done.cause()), "failed");
          }
        });
  }

  /** POSTs to the checked address; completes with the response status, or fails after 10 s. */
  private Future<Integer> send(Delivery delivery, WebhookTargets.Target target) {
    byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
    Promise<Integer> status = Promise.promise();
    HttpClientRequest[] request = new HttpClientRequest[1];
    long deadline = vertx.setTimer(TIMEOUT_MS, id -> {
      if (status.tryFail(new TimeoutException("no answer within " + TIMEOUT_MS / 1000 + " s")) && request[0] != null) {
        request[0].reset();
      }
    });
    client.request(options(delivery, target, body)).compose(opened -> {
      request[0] = opened;
      if (status.future().isComplete()) {
        opened.reset();
        return Future.failedFuture("timed out while connecting");
      }
      return opened.send(Buffer.buffer(body));
    }).onComplete(done -> {
      vertx.cancelTimer(deadline);
      if (done.succeeded()) {
        // Only the status matters: the connection is dropped unread, so a receiver cannot make us
        // buffer or wait for a body; the reset this causes on the response is expected.
        status.tryComplete(done.result().statusCode());
        done.result().exceptionHandler(expected -> { });
        request[0].reset();
      } else {
        status.tryFail(done.cause());
      }
    });
    return status.future();
  }

  /** Connects to the checked address (no second DNS lookup) while naming the host in Host and SNI. */
  private static RequestOptions options(Delivery delivery, WebhookTargets.Target target, byte[] body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
        .setHost(target.host())
        .setPort(target.port())
        .setURI(target.requestUri())
        .setSsl(target.https())
        .setFollowRedirects(false)
        .setConnectTimeout(TIMEOUT_MS)
        .setIdleTimeout(TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("X-Backchannel-Event", delivery.eventType())
        .putHeader("X-Backchannel-Delivery", delivery.id());
    if (delivery.secret() != null) {
      options.putHeader("X-Backchannel-Signature", Signature.header(delivery.secret(), body));
    }
    return options;
  }

  private void record(Delivery delivery, String error, String outcome) {
    int attempts = delivery.attempts() + 1;
    boolean abandon = error != null && attempts >= MAX_ATTEMPTS;
    store.write(tx -> {
      if (error == null) {
        outbox.delivered(tx, delivery.id(), tx.now());
      } else {
        outbox.failed(tx, delivery.id(), attempts, abandon ? null : tx.now().plus(backoff(attempts)), error, tx.now());
      }
      return null;
    }).onComplete(done -> {
      inFlight--;
      metrics.webhookDelivery(outcome);
      if (abandon) {
        metrics.webhookDelivery("abandoned");
      }
      if (error != null) {
        LOG.log(abandon ? Level.WARNING : Level.FINE, "webhook delivery " + delivery.id() + " (" + delivery.eventType()
            + ") attempt " + attempts + (abandon ? " failed; abandoned: " : " failed: ") + error);
      }
      if (done.failed()) {
        LOG.log(Level.WARNING, "recording webhook delivery " + delivery.id() + " failed: " + done.cause().getMessage());
      }
    });
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
