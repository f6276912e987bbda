package dev.backchannel.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;

/**
 * What the streams of {@code sse-fanout} received. Each message carries its number and send time
 * ({@code "f <n> <nanos>"} at the start of its content), so a stream times a delivery the moment
 * it arrives. Per stream state is touched only on that stream's lane; per message counters are atomic.
 */
final class Deliveries {
  private static final String MARK = "\"content\":\"f ";

  private final int capacity;
  private final AtomicLongArray sentAt;
  private final AtomicIntegerArray received;
  private final AtomicLongArray lastArrival;
  private final long[] lastSeq;
  private final long[] seqSum;
  private final int[] count;
  private final int[] outOfOrder;
  private final Histogram[] delivery;
  private volatile int expected = Integer.MAX_VALUE;
  private volatile int waitingFor = -1;
  private volatile Promise<Void> waiter;
  volatile long measureFrom = Long.MAX_VALUE;

  Deliveries(int streams, int capacity, int lanes) {
    this.capacity = capacity;
    this.sentAt = new AtomicLongArray(capacity);
    this.received = new AtomicIntegerArray(capacity);
    this.lastArrival = new AtomicLongArray(capacity);
    this.lastSeq = new long[streams];
    this.seqSum = new long[streams];
    this.count = new int[streams];
    this.outOfOrder = new int[streams];
    this.delivery = new Histogram[lanes];
    for (int i = 0; i < lanes; i++) {
      delivery[i] = new Histogram();
    }
  }

  int capacity() {
    return capacity;
  }

  /** The number of open streams every message must reach. */
  void expect(int streams) {
    expected = streams;
  }

  void sent(int index, long nanos) {
    sentAt.set(index, nanos);
  }

  /** Completes once every stream has message {@code index}; call before sending it. */
  Future<Void> awaitAll(int index) {
    Promise<Void> promise = Promise.promise();
    waiter = promise;
    waitingFor = index;
    return promise.future();
  }

  void onEvent(int stream, long seq, String event, String data) {
    long now = System.nanoTime();
    int mark = data.indexOf(MARK);
    if (!"message".equals(event) || mark < 0) {
      return;
    }
    int start = mark + MARK.length();
    int space = data.indexOf(' ', start);
    int index = Integer.parseInt(data, start, space, 10);
    long sent = Long.parseLong(data, space + 1, data.indexOf(' ', space + 1), 10);
    if (seq <= lastSeq[stream]) {
      outOfOrder[stream]++;
    }
    lastSeq[stream] = Math.max(lastSeq[stream], seq);
    seqSum[stream] += seq;
    count[stream]++;
    if (sent >= measureFrom) {
      delivery[stream % delivery.length].record((now - sent) / 1_000);
    }
    lastArrival.accumulateAndGet(index, now, Math::max);
    if (received.incrementAndGet(index) == expected && index == waitingFor) {
      waiter.tryComplete();
    }
  }

  /** Waits (bounded) until every message sent so far reached every stream. */
  void drain(int sent, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    for (int i = 0; i < sent; i++) {
      while (received.get(i) < expected && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Per measured message: the time from sending it until the last stream had it. */
  Histogram allReceived(int sent) {
    Histogram all = new Histogram();
    for (int i = 0; i < sent; i++) {
      if (sentAt.get(i) >= measureFrom && received.get(i) >= expected) {
        all.record((lastArrival.get(i) - sentAt.get(i)) / 1_000);
      }
    }
    return all;
  }

  Histogram delivery() {
    Histogram all = new Histogram();
    for (Histogram lane : delivery) {
      all.merge(lane);
    }
    return all;
  }

  /** "ok: …" when every open stream received exactly the published seqs, once each and in order. */
  String verdict(List<Long> published, int endedEarly, IntPredicate open) {
    long sum = published.stream().mapToLong(Long::longValue).sum();
    int missed = 0;
    int disordered = 0;
    int extra = 0;
    for (int stream = 0; stream < count.length; stream++) {
      if (!open.test(stream)) {
        continue;
      }
      if (outOfOrder[stream] > 0) {
        disordered++;
      } else if (count[stream] < published.size()) {
        missed++;
      } else if (count[stream] > published.size() || seqSum[stream] != sum) {
        extra++;
      }
    }
    int opened = expected;
    boolean ok = missed == 0 && disordered == 0 && extra == 0 && endedEarly == 0 && !published.isEmpty();
    return (ok ? "ok" : "failed") + String.format(": %,d streams × %,d messages: %,d streams missed a message, "
        + "%,d got one twice or out of order, %,d got one not published, %,d ended early", opened,
        published.size(), missed, disordered, extra, endedEarly);
  }
}
