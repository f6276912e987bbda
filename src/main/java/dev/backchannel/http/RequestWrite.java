package dev.backchannel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.idempotency.IdempotencyRecord;
import dev.backchannel.idempotency.RecordedWrites;
import dev.backchannel.idempotency.StoredResponse;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import dev.backchannel.store.WriteWork;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * One request's write, run as one unit of work on the writer: look up the idempotency record,
 * do the write, render the answer and store it as the record, then commit. The caller hears back
 * once, after that COMMIT, so a 2xx is durable together with its record: a retry after a crash
 * either finds nothing (the write never committed, and runs now) or replays the answer byte for
 * byte. Rendering happens on the writer thread because the record must hold the exact bytes.
 */
public final class RequestWrite {
  static final String CONTEXT_KEY = "backchannel.request_write";

  private final Store store;
  private final RecordedWrites writes;
  private final Metrics metrics;
  private final IdempotencyRecord record;

  /** An answer to render: a JSON body with its status, or an empty body (204). */
  public record Reply(int status, JsonNode body) {
    static Reply empty(int status) {
      return new Reply(status, null);
    }
  }

  RequestWrite(Store store, RecordedWrites writes, Metrics metrics, IdempotencyRecord record) {
    this.store = store;
    this.writes = writes;
    this.metrics = metrics;
    this.record = record;
  }

  static RequestWrite of(RoutingContext ctx) {
    RequestWrite write = ctx.get(CONTEXT_KEY);
    if (write == null) {
      throw new IllegalStateException("route has no Idempotency guard");
    }
    return write;
  }

  /** Runs the work, then sends {@code render(result)} with {@code status}, or the error. */
  <T> void respond(RoutingContext ctx, WriteWork<T> work, int status, Function<T, JsonNode> render) {
    answer(ctx, attempt(work, value -> new Reply(status, render.apply(value))));
  }

  /** Runs the work, then sends the reply it renders to. */
  <T> void reply(RoutingContext ctx, WriteWork<T> work, Function<T, Reply> render) {
    answer(ctx, attempt(work, render));
  }

  /**
   * One attempt: completes with the stored answer, or with null when {@code render} returned null
   * (nothing to answer yet, as a claim-next that found no work); then nothing is recorded.
   */
  <T> Future<StoredAnswer> attempt(WriteWork<T> work, Function<T, Reply> render) {
    return store.write(tx -> run(tx, work, render))
        .map(outcome -> outcome == null ? null : new StoredAnswer(this, outcome.response(), outcome.replayed()));
  }

  private <T> RecordedWrites.Outcome run(Tx tx, WriteWork<T> work, Function<T, Reply> render) throws Exception {
    return writes.run(tx, record, unit -> {
      Reply reply = render.apply(work.run(unit));
      if (reply == null) {
        return null;
      }
      return reply.body() == null
          ? new StoredResponse(reply.status(), "application/json", new byte[0], source())
          : new StoredResponse(reply.status(), Responses.JSON, Responses.encode(reply.body()).getBytes(), source());
    });
  }

  private String source() {
    return record == null ? null : record.source();
  }

  static void answer(RoutingContext ctx, Future<StoredAnswer> answer) {
    answer.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else if (done.result() == null) {
        Responses.noContent(ctx);
      } else {
        done.result().send(ctx);
      }
    });
  }

  /** An answer produced inside a unit of work, ready to send on the event loop. */
  static final class StoredAnswer {
    private final RequestWrite write;
    private final StoredResponse response;
    private final boolean replayed;

    private StoredAnswer(RequestWrite write, StoredResponse response, boolean replayed) {
      this.write = write;
      this.response = response;
      this.replayed = replayed;
    }

    void send(RoutingContext ctx) {
      HttpServerResponse out = ctx.response();
      if (write.record != null && (replayed || response.status() < 300)) {
        out.putHeader("Idempotency-Key", write.record.key());
        out.putHeader("X-Idempotency-Source", response.source());
      }
      if (replayed) {
        write.metrics.idempotentReplay();
        out.headers().remove("X-RateLimit-Remaining");
        out.putHeader("X-Idempotent-Replay", "true");
      }
      Responses.send(ctx, response.status(), response.contentType(), Buffer.buffer(response.body()));
    }
  }
}
