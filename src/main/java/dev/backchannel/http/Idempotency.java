package dev.backchannel.http;

import dev.backchannel.error.ApiError;
import dev.backchannel.idempotency.IdempotencyRecord;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.idempotency.RecordedWrites;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Store;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Gives each keyed write its {@link RequestWrite}, with the idempotency record the request names
 * ({@link IdempotencyRecord}). Looking the record up, doing the write and storing the response all
 * happen in the request's one unit of work ({@link RecordedWrites}), so a duplicate that arrives
 * while the first is still running (§10.2 #6) is serialised behind it by the writer and replays
 * its answer.
 */
public final class Idempotency implements Handler<RoutingContext> {
  private final Store store;
  private final RecordedWrites writes;
  private final Metrics metrics;
  private final RequestWrite unrecorded;

  public Idempotency(Store store, IdempotencyStore records, Duration lifetime, Metrics metrics) {
    this.store = store;
    this.writes = new RecordedWrites(records, lifetime);
    this.metrics = metrics;
    this.unrecorded = new RequestWrite(store, writes, metrics, null);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String explicit = ctx.request().getHeader("Idempotency-Key");
    if (explicit != null && !IdempotencyRecord.isValidKey(explicit)) {
      ctx.fail(ApiError.INVALID_FIELD.exception("Idempotency-Key must be 1 to 255 printable ASCII characters"));
      return;
    }
    Buffer body = ctx.body().buffer();
    IdempotencyRecord record = IdempotencyRecord.forWrite(Requests.caller(ctx).keyId(), ctx.request().method().name(),
        ctx.request().path(), explicit, body == null ? null : body.getBytes());
    ctx.put(RequestWrite.CONTEXT_KEY, new RequestWrite(store, writes, metrics, record));
    ctx.next();
  }

  /** For routes without idempotency (reads, open and admin routes): their writes are not recorded. */
  public void unrecorded(RoutingContext ctx) {
    ctx.put(RequestWrite.CONTEXT_KEY, unrecorded);
    ctx.next();
  }
}
