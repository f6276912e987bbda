package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rounds of N long-poll waiters ({@code GET …/messages?cursor=…&wait=30}) woken by one message:
 * each round opens the waiters, waits until the server counts them, publishes, and times each
 * waiter's answer from the moment the message was sent. Check: every waiter got that message.
 */
final class LongPollScenario implements Scenario {
  static final int WAIT_SECONDS = 30;
  static final long REGISTER_BUDGET_NANOS = 5_000_000_000L;
  static final int MAX_ROUNDS = 10_000;

  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    int count = options.connections();
    String key = run.key();
    String channel = run.channel("longpoll", "broadcast");
    List<HttpClient> clients = new ArrayList<>();
    for (int i = 0; i < run.http.lanes().size(); i++) {
      clients.add(run.http.client(count / run.http.lanes().size() + 1));
    }
    Histogram wake = new Histogram();
    Histogram allWoke = new Histogram();
    Tally errors = new Tally();
    long start = System.nanoTime();
    long measureFrom = start + options.warmupNanos();
    long until = measureFrom + options.measureNanos();
    String cursor = "0";
    int rounds = 0;
    long wrong = 0;
    long early = 0;
    long measured = 0;
    try {
      do {
        long[] arrival = new long[count];
        List<Future<Reply>> waiters = openWaiters(run, clients, key, channel, cursor, arrival);
        awaitRegistered(run, count);
        long sentAt = System.nanoTime();
        JsonNode posted = run.call(POST, BenchRun.messagesPath(channel), key, BenchRun.postBody("round " + rounds,
            options.size())).expect(201).json();
        String id = posted.path("message").path("id").asText();
        BenchHttp.await(Future.join(waiters).otherwiseEmpty(), (WAIT_SECONDS + 15) * 1000L);
        long slowest = 0;
        for (int i = 0; i < count; i++) {
          Future<Reply> waiter = waiters.get(i);
          if (waiter.failed() || !waiter.isComplete()) {
            errors.add(waiter.failed() ? waiter.cause() : new BenchException("no answer"));
            wrong++;
          } else if (arrival[i] < sentAt) {
            early++;
            wrong++;
          } else if (!id.equals(waiter.result().expect(200).json().path("data").path(0).path("id").asText())) {
            wrong++;
          } else if (sentAt >= measureFrom) {
            wake.record((arrival[i] - sentAt) / 1_000);
            slowest = Math.max(slowest, arrival[i] - sentAt);
            measured++;
          }
        }
        if (sentAt >= measureFrom) {
          allWoke.record(slowest / 1_000);
        }
        cursor = posted.path("next_cursor").asText();
        rounds++;
      } while (System.nanoTime() < until && rounds < MAX_ROUNDS);
    } finally {
      clients.forEach(client -> BenchHttp.await(client.close().otherwiseEmpty()));
    }
    Result result = new Result("longpoll", count).errors(errors);
    result.unit = "wakes/s";
    result.operations = measured;
    result.seconds = Math.max(0, System.nanoTime() - measureFrom) / 1e9;
    result.latency = wake.summary();
    result.figure("rounds", rounds).figure("all_waiters_woke_ms", allWoke.summary());
    if (early > 0) {
      result.hint(Hints.WAITERS);
    }
    return result.check(wrong == 0, String.format("%,d rounds × %,d waiters: %,d waiters did not get the message"
        + " (%,d answered before it was sent)", rounds, count, wrong, early));
  }

  private static List<Future<Reply>> openWaiters(BenchRun run, List<HttpClient> clients, String key, String channel,
      String cursor, long[] arrival) {
    String path = BenchRun.messagesPath(channel) + "?limit=10&wait=" + WAIT_SECONDS + "&cursor="
        + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    List<Future<Reply>> waiters = new ArrayList<>();
    for (int i = 0; i < arrival.length; i++) {
      int waiter = i;
      BenchHttp.Lane lane = run.http.lane(i);
      HttpClient client = clients.get(i % clients.size());
      waiters.add(lane.on(() -> lane.send(client, GET, path, key, null, (WAIT_SECONDS + 10) * 1000L).map(reply -> {
        arrival[waiter] = System.nanoTime();
        return reply;
      })));
    }
    return waiters;
  }

  /** Waits (bounded) until the server's waiter gauge shows all of them; a short pause if it is not exported. */
  private static void awaitRegistered(BenchRun run, int count) {
    long deadline = System.nanoTime() + REGISTER_BUDGET_NANOS;
    while (System.nanoTime() < deadline) {
      double waiting = run.metrics().value("backchannel_longpoll_waiters");
      if (Double.isNaN(waiting)) {
        CapacityScenario.sleep(0.2);
        return;
      }
      if (waiting >= count) {
        return;
      }
      CapacityScenario.sleep(0.01);
    }
  }
}
