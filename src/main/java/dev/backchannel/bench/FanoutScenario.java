package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.POST;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N open streams of one channel and one publisher. Without {@code --rate} the publisher sends a
 * message, waits until every stream has it, then sends the next; with {@code --rate R} it sends R
 * messages a second regardless. Reports per message the time until all streams had it, and per
 * delivery the time until one stream had it. Check: every stream got every published message
 * once, in seq order.
 */
final class FanoutScenario implements Scenario {
  static final long ALL_RECEIVED_TIMEOUT_MS = 10_000;
  static final int MAX_IN_FLIGHT = 256;

  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    int count = options.connections();
    String channel = run.channel("sse-fanout", "broadcast");
    double seconds = options.warmupSeconds() + options.durationSeconds();
    int capacity = (int) Math.min(1_000_000, (options.rate() > 0 ? options.rate() * 1.2 : 5_000) * seconds + 100);
    Deliveries deliveries = new Deliveries(count, capacity, run.http.lanes().size());
    Result result = new Result("sse-fanout", count);
    run.progress("  opening " + count + " streams");
    try (Streams streams = new Streams(run, channel, count, deliveries::onEvent)) {
      int opened = streams.open(count);
      result.errors(streams.refusals).figure("streams_opened", opened).figure("keys_used", streams.keys);
      if (streams.stopReason != null) {
        result.hint(streams.stopReason);
      }
      if (opened == 0) {
        return result.check(false, "no stream could be opened");
      }
      deliveries.expect(opened);
      Publisher publisher = new Publisher(run, channel, deliveries);
      run.progress("  publishing to " + opened + " streams");
      BenchHttp.await(publisher.start(), (long) (seconds * 1000) + BenchHttp.REQUEST_TIMEOUT_MS + 20_000);
      deliveries.drain(publisher.sent(), ALL_RECEIVED_TIMEOUT_MS);
      result.errors(publisher.errors);
      result.unit = "msg/s";
      result.operations = publisher.measured;
      result.seconds = publisher.measuredSeconds();
      Histogram all = deliveries.allReceived(publisher.sent());
      result.latency = all.summary();
      result.figure("all_streams_received_ms", all.summary())
          .figure("per_stream_delivery_ms", deliveries.delivery().summary())
          .figure("deliveries_per_second", Math.round(result.rate() * opened))
          .figure("target_rate", options.rate() > 0 ? options.rate() : "one message at a time");
      String verdict = deliveries.verdict(publisher.published, streams.endedEarly(), streams::isOpen);
      return result.check(verdict.startsWith("ok"), verdict.substring(verdict.indexOf(':') + 2));
    }
  }

  /** Sends numbered, timestamped messages from the first lane; one at a time or at a fixed rate. */
  private static final class Publisher {
    private final BenchRun run;
    private final String channel;
    private final Deliveries deliveries;
    private final HttpClient client;
    private final Promise<Void> done = Promise.promise();
    private final long measureFrom;
    private final long until;
    private final String key;
    final List<Long> published = new ArrayList<>();
    final Tally errors = new Tally();
    private int next;
    private int inFlight;
    private long measured;
    private long finishedAt;

    Publisher(BenchRun run, String channel, Deliveries deliveries) {
      this.run = run;
      this.channel = channel;
      this.deliveries = deliveries;
      this.client = run.http.client(MAX_IN_FLIGHT);
      this.key = run.key();
      long now = System.nanoTime();
      this.measureFrom = now + run.options.warmupNanos();
      this.until = measureFrom + run.options.measureNanos();
      deliveries.measureFrom = measureFrom;
    }

    Future<Void> start() {
      BenchHttp.Lane lane = run.http.lane(0);
      lane.context().runOnContext(v -> {
        if (run.options.rate() > 0) {
          paced(System.nanoTime());
        } else {
          oneAtATime();
        }
      });
      return done.future().onComplete(v -> finishedAt = System.nanoTime()).eventually(() -> client.close());
    }

    int sent() {
      return next;
    }

    double measuredSeconds() {
      return Math.max(0, Math.min(finishedAt, until) - measureFrom) / 1e9;
    }

    private void oneAtATime() {
      if (System.nanoTime() >= until || next >= deliveries.capacity()) {
        done.tryComplete();
        return;
      }
      int index = next++;
      Future<Void> everyone = deliveries.awaitAll(index);
      send(index).compose(v -> everyone.timeout(ALL_RECEIVED_TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .onComplete(v -> oneAtATime());
    }

    private void paced(long start) {
      long now = System.nanoTime();
      long due = (long) ((now - start) / 1e9 * run.options.rate());
      while (next < due && inFlight < MAX_IN_FLIGHT && next < deliveries.capacity() && now < until) {
        inFlight++;
        send(next++).onComplete(v -> inFlight--);
      }
      if (now >= until || next >= deliveries.capacity()) {
        waitForInFlight();
      } else {
        run.http.vertx().setTimer(1, id -> paced(start));
      }
    }

    private void waitForInFlight() {
      if (inFlight == 0) {
        done.tryComplete();
      } else {
        run.http.vertx().setTimer(5, id -> waitForInFlight());
      }
    }

    private Future<Void> send(int index) {
      long sentAt = System.nanoTime();
      deliveries.sent(index, sentAt);
      String tag = "f " + index + " " + sentAt;
      return run.http.lane(0).send(client, POST, BenchRun.messagesPath(channel), key,
          BenchRun.postBody(tag, run.options.size()), BenchHttp.REQUEST_TIMEOUT_MS).<Void>map(reply -> {
            published.add(reply.expect(201).json().path("message").path("seq").asLong());
            if (sentAt >= measureFrom && sentAt < until) {
              measured++;
            }
            return null;
          }).onFailure(errors::add);
    }
  }
}
