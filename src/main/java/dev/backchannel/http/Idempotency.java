package dev.backchannel.http;

import dev.backchannel.error.ApiError;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.key.Caller;
import dev.backchannel.key.KeyHasher;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Store;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names the idempotency record of a write (contract §5.9) and gives the request its
 * {@link RequestWrite}. The record is scoped to the caller's key, the method and the path
 * (§10.2 #5); an explicit {@code Idempotency-Key} header names it, else the server derives one
 * from the body. Looking the record up, doing the write and storing the response all happen in
 * the request's one unit of work, so a duplicate that arrives while the first is still running
 * (§10.2 #6) is serialised behind it by the writer and replays its answer.
 */
public final class Idempotency implements Handler<RoutingContext> {
  // Claim-like verbs repeat on purpose, so identical bodies must not replay (contract §5.9). So
  // do reads sent as POST (tasks/subscribe: a replay would hide new messages for 24 h), toggles
  // (subscribe after unsubscribe) and verbs whose answer changes with time (redrive, read
  // positions, short-lived stream tokens).
  private static final List<String> AUTO_EXCLUDED = List.of(
      "/ack", "/claim", "/claim-with-lease", "/release", "/heartbeat", "/claim-next", "/nack",
      "/subscribe", "/unsubscribe", "/read", "/redrive", "/stream-tokens");
  private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,254}");

  private final Store store;
  private final IdempotencyStore records;
  private final Duration lifetime;
  private final Metrics metrics;
  private final RequestWrite unrecorded;

  public Idempotency(Store store, IdempotencyStore records, Duration lifetime, Metrics metrics) {
    this.store = store;
    this.records = records;
    this.lifetime = lifetime;
    this.metrics = metrics;
    this.unrecorded = new RequestWrite(store, records, lifetime, metrics, null);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String explicit = ctx.request().getHeader("Idempotency-Key");
    String path = ctx.request().path();
    if (explicit != null && !VALID_KEY.matcher(explicit).matches()) {
      ctx.fail(ApiError.INVALID_FIELD.exception("Idempotency-Key must be 1 to 255 printable ASCII characters"));
      return;
    }
    RequestWrite.Record record = null;
    if (explicit != null || !isAutoExcluded(path)) {
      String method = ctx.request().method().name();
      String key = explicit != null ? explicit : autoKey(method, ctx.body().buffer(), path);
      Caller caller = Requests.caller(ctx);
      record = new RequestWrite.Record(caller.keyId() + ":" + method + ":" + path + ":" + key, caller.keyId(), key,
          explicit != null ? "client" : "server-auto");
    }
    ctx.put(RequestWrite.CONTEXT_KEY, new RequestWrite(store, records, lifetime, metrics, record));
    ctx.next();
  }

  /** For routes without idempotency (reads, open and admin routes): their writes are not recorded. */
  public void unrecorded(RoutingContext ctx) {
    ctx.put(RequestWrite.CONTEXT_KEY, unrecorded);
    ctx.next();
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
}
