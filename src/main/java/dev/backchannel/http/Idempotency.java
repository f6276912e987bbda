package dev.backchannel.http;

import dev.backchannel.error.ApiError;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.idempotency.StoredResponse;
import dev.backchannel.key.Caller;
import dev.backchannel.key.KeyHasher;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Replays the stored response of a write that was already done (contract §5.9). The record is
 * scoped to the caller's key, the method and the path (§10.2 #5); an explicit
 * {@code Idempotency-Key} header names it, else the server derives one from the body. A
 * duplicate that arrives while the first is still running waits for it (§10.2 #6). A pending
 * record commits in the same transaction as the request's write, and the response completes it
 * before it is sent: a client that saw the response and retries gets the replay, and a retry
 * after a crash that cut the response off never applies the write twice.
 */
public final class Idempotency implements Handler<RoutingContext> {
  static final String RECORDING = "backchannel.idempotency";
  // Claim-like verbs repeat on purpose, so identical bodies must not replay (contract §5.9). So
  // do reads sent as POST (tasks/subscribe: a replay would hide new messages for 24 h), toggles
  // (subscribe after unsubscribe) and verbs whose answer changes with time (redrive, read
  // positions, short-lived stream tokens).
  private static final List<String> AUTO_EXCLUDED = List.of(
      "/ack", "/claim", "/claim-with-lease", "/release", "/heartbeat", "/claim-next", "/nack",
      "/subscribe", "/unsubscribe", "/read", "/redrive", "/stream-tokens");
  private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,254}");

  private final Store store;
  private final Clock clock;
  private final IdempotencyStore records;
  private final Duration lifetime;
  private final Metrics metrics;
  private final Map<String, Future<StoredResponse>> inFlight = new ConcurrentHashMap<>();

  public Idempotency(Store store, Clock clock, IdempotencyStore records, Duration lifetime, Metrics metrics) {
    this.store = store;
    this.clock = clock;
    this.records = records;
    this.lifetime = lifetime;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String explicit = ctx.request().getHeader("Idempotency-Key");
    String path = ctx.request().path();
    if (explicit == null && isAutoExcluded(path)) {
      ctx.next();
      return;
    }
    if (explicit != null && !VALID_KEY.matcher(explicit).matches()) {
      ctx.fail(ApiError.INVALID_FIELD.exception("Idempotency-Key must be 1 to 255 printable ASCII characters"));
      return;
    }
    String method = ctx.request().method().name();
    String key = explicit != null ? explicit : autoKey(method, ctx.body().buffer(), path);
    String source = explicit != null ? "client" : "server-auto";
    Caller caller = Requests.caller(ctx);
    String scope = caller.keyId() + ":" + method + ":" + path + ":" + key;
    attempt(ctx, new Recording(scope, caller.keyId(), key, source));
  }

  static boolean isAutoExcluded(String path) {
    for (String suffix : AUTO_EXCLUDED) {
      if (path.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  static String autoKey(String method, Buffer body, String path) {
    String digest = KeyHasher.sha256Hex(body == null ? new byte[0] : body.getBytes());
    return "auto-" + method + "-" + digest.substring(0, 32) + "-" + path;
  }

  private void attempt(RoutingContext ctx, Recording recording) {
    Promise<StoredResponse> mine = Promise.promise();
    Future<StoredResponse> running = inFlight.putIfAbsent(recording.scope, mine.future());
    if (running != null) {
      Context context = Vertx.currentContext();
      running.onComplete(done -> context.runOnContext(v -> {
        StoredResponse stored = done.succeeded() ? done.result() : null;
        if (stored != null) {
          replay(ctx, recording, stored);
        } else {
          attempt(ctx, recording);
        }
      }));
      return;
    }
    recording.promise = mine;
    ctx.addEndHandler(v -> recording.finish(null));
    records.find(recording.scope, clock.instant()).onComplete(found -> {
      if (found.failed()) {
        recording.finish(null);
        ctx.fail(found.cause());
      } else if (found.result().isEmpty()) {
        recording.reserve();
        ctx.put(RECORDING, recording);
        ctx.next();
      } else if (found.result().get().isPending()) {
        recording.finish(null);
        ctx.fail(ApiError.IDEMPOTENCY_RESPONSE_LOST.exception().with("idempotency_key", recording.key));
      } else {
        recording.finish(found.result().get());
        replay(ctx, recording, found.result().get());
      }
    });
  }

  private void replay(RoutingContext ctx, Recording recording, StoredResponse stored) {
    metrics.idempotentReplay();
    HttpServerResponse response = ctx.response();
    response.headers().remove("X-RateLimit-Remaining");
    response.putHeader("X-Idempotent-Replay", "true");
    response.putHeader("X-Idempotency-Source", stored.source());
    response.putHeader("Idempotency-Key", recording.key);
    Responses.write(response, stored.status(), stored.contentType(), Buffer.buffer(stored.body()));
  }

  /** One idempotent request in progress: records its response if it succeeds. */
  final class Recording {
    private final String scope;
    private final String keyId;
    private final String key;
    private final String source;
    private Promise<StoredResponse> promise;
    private Runnable detach = () -> { };
    private volatile boolean reserved;

    Recording(String scope, String keyId, String key, String source) {
      this.scope = scope;
      this.keyId = keyId;
      this.key = key;
      this.source = source;
    }

    /** A pending record rides along with the request's first write, in its transaction. */
    void reserve() {
      StoredResponse pending = StoredResponse.pending(source);
      detach = store.attachToNextWrite(tx -> {
        records.put(tx, scope, keyId, pending, tx.now(), tx.now().plus(lifetime));
        reserved = true;
      });
    }

    /** Called with the response about to be sent; completes once a 2xx is durably recorded. */
    Future<Void> complete(RoutingContext ctx, int status, String contentType, Buffer body) {
      ctx.remove(RECORDING);
      detach.run();
      if (status < 200 || status >= 300) {
        return forget();
      }
      ctx.response().putHeader("Idempotency-Key", key);
      ctx.response().putHeader("X-Idempotency-Source", source);
      StoredResponse stored = new StoredResponse(status, contentType, body.getBytes(), source);
      return store.<Void>write(tx -> {
        records.put(tx, scope, keyId, stored, tx.now(), tx.now().plus(lifetime));
        return null;
      }).onComplete(done -> finish(done.succeeded() ? stored : null)).recover(e -> Future.succeededFuture());
    }

    /** Only successes are kept (contract §5.9): a failed request may be retried and run again. */
    private Future<Void> forget() {
      if (!reserved) {
        finish(null);
        return Future.succeededFuture();
      }
      return store.<Void>write(tx -> {
        records.remove(tx, scope);
        return null;
      }).onComplete(done -> finish(null)).recover(e -> Future.succeededFuture());
    }

    void finish(StoredResponse stored) {
      detach.run();
      if (promise != null && promise.tryComplete(stored)) {
        inFlight.remove(scope, promise.future());
      }
    }
  }
}
