package dev.backchannel.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many open event streams of one channel, spread over the lanes. Opens them in batches; when the
 * per-key limit refuses one (429 too_many_streams) it mints another key and goes on, and when
 * that or the total limit stops it, {@link #stopReason} says which setting to raise.
 */
final class Streams implements AutoCloseable {
  static final int BATCH = 256;

  /** Receives every event of stream {@code stream}, on that stream's lane. */
  interface Listener {
    void onEvent(int stream, long id, String event, String data);
  }

  private final BenchRun run;
  private final String path;
  private final Listener listener;
  private final List<HttpClient> clients = new ArrayList<>();
  private final Histogram[] openLatency;
  private final AtomicInteger ended = new AtomicInteger();
  private final boolean[] open;
  private volatile boolean closing;
  final Tally refusals = new Tally();
  String stopReason;
  int opened;
  int keys;

  Streams(BenchRun run, String channel, int count, Listener listener) {
    this.run = run;
    this.path = "/v1/channels/" + channel + "/stream";
    this.listener = listener;
    this.open = new boolean[count];
    int lanes = run.http.lanes().size();
    this.openLatency = new Histogram[lanes];
    for (int i = 0; i < lanes; i++) {
      clients.add(run.http.client(count / lanes + 1));
      openLatency[i] = new Histogram();
    }
  }

  /** Opens streams 0 … count-1 (as many as the limits allow); how many are open. */
  int open(int count) {
    String key = run.key();
    keys = 1;
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(i);
    }
    while (!pending.isEmpty() && stopReason == null) {
      List<Integer> batch = new ArrayList<>(pending.subList(0, Math.min(BATCH, pending.size())));
      pending.subList(0, batch.size()).clear();
      List<Future<String>> answers = new ArrayList<>();
      for (int stream : batch) {
        String streamKey = key;
        answers.add(run.http.lane(stream).on(() -> openOne(stream, streamKey)));
      }
      BenchHttp.await(Future.join(answers).otherwiseEmpty());
      List<Integer> retry = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        String answer = answers.get(i).failed() ? BenchException.label(answers.get(i).cause()) : answers.get(i).result();
        if (answer.equals("200")) {
          opened++;
        } else if (answer.contains("too_many_streams")) {
          retry.add(batch.get(i));
        } else {
          refusals.add(answer);
          if (answer.contains("streams_at_capacity")) {
            stopReason = Hints.STREAMS_TOTAL;
          }
        }
      }
      if (!retry.isEmpty() && stopReason == null) {
        refusals.add("429 too_many_streams (then retried with another key)");
        try {
          key = run.mintKey();
          keys++;
          pending.addAll(0, retry);
        } catch (BenchException e) {
          stopReason = Hints.STREAMS_PER_KEY + "; minting another key failed: " + e.getMessage();
        }
      }
    }
    return opened;
  }

  private Future<String> openOne(int stream, String key) {
    BenchHttp.Lane lane = run.http.lane(stream);
    HttpClient client = clients.get(stream % clients.size());
    long started = System.nanoTime();
    return lane.open(client, path, key).compose(response -> {
      if (response.statusCode() != 200) {
        return response.body().map(body -> response.statusCode() + " " + new Reply(response.statusCode(), body)
            .errorCode());
      }
      openLatency[stream % openLatency.length].recordSince(started);
      open[stream] = true;
      read(stream, response);
      return Future.succeededFuture("200");
    });
  }

  private void read(int stream, HttpClientResponse response) {
    SseReader reader = new SseReader((id, event, data) -> listener.onEvent(stream, id, event, data));
    response.handler(reader::feed);
    response.endHandler(v -> end());
    response.exceptionHandler(e -> end());
  }

  private void end() {
    if (!closing) {
      ended.incrementAndGet();
    }
  }

  /** Whether stream {@code stream} opened; read after {@link #open} returned. */
  boolean isOpen(int stream) {
    return open[stream];
  }

  /** Streams the server (or the network) ended before the bench closed them. */
  int endedEarly() {
    return ended.get();
  }

  Histogram openLatency() {
    Histogram all = new Histogram();
    for (Histogram lane : openLatency) {
      all.merge(lane);
    }
    return all;
  }

  @Override
  public void close() {
    closing = true;
    for (HttpClient client : clients) {
      BenchHttp.await(client.close().otherwiseEmpty());
    }
  }
}
