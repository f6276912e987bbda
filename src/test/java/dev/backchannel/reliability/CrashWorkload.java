package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients of one claimable channel until the server dies under them: publishers
 * (half of their posts with an {@code Idempotency-Key}), a plain claimer, a lease claimer, a
 * claim-next worker, and an acker that also heartbeats leases. Every answer received goes into the
 * {@link Ledger}; a request cut off by the kill is remembered only if it carried an
 * {@code Idempotency-Key}, to be retried after the restart.
 */
final class CrashWorkload {
  static final List<String> WORKERS = List.of("plain", "leaser", "next");
  private static final int PUBLISHERS = 2;

  /** An idempotent post: its key, its body's content, and the id if it was answered. */
  /** A post sent with an Idempotency-Key, and the body of its 201 if the answer arrived. */
  record Keyed(String key, String content, String answeredId, String answeredBody) {}

  private final ApiClient api;
  private final String channel;
  private final String publisherKey;
  private final Map<String, String> workerKeys;
  private final Ledger ledger;
  private final List<String> messageIds;
  private final Map<String, Keyed> keyed;
  private final BlockingQueue<Ledger.Claim> toAck = new LinkedBlockingQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger answered = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  CrashWorkload(ApiClient api, String channel, String publisherKey, Map<String, String> workerKeys, Ledger ledger,
      List<String> messageIds, Map<String, Keyed> keyed) {
    this.api = api;
    this.channel = channel;
    this.publisherKey = publisherKey;
    this.workerKeys = workerKeys;
    this.ledger = ledger;
    this.messageIds = messageIds;
    this.keyed = keyed;
  }

  /** Starts every client thread; {@code seed} drives their choices, {@code cycle} names their content. */
  void start(long seed, int cycle) {
    for (int p = 0; p < PUBLISHERS; p++) {
      int publisher = p;
      spawn("publisher-" + p, seed + p, random -> publish(random, cycle, publisher));
    }
    spawn("plain", seed + 10, random -> claim(random, "plain", "/claim", json("actor", "plain")));
    spawn("leaser", seed + 11, random -> claim(random, "leaser", "/claim-with-lease",
        json("actor", "leaser", "lease_seconds", leaseSeconds(random))));
    spawn("next", seed + 12, this::claimNext);
    spawn("acker", seed + 13, this::ackOrHeartbeat);
  }

  /** Answers received so far (any status). */
  int answered() {
    return answered.get();
  }

  /** Stops the threads (the server is dead by now, so each ends at its next request). */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
  }

  private interface Loop {
    void step(Random random);
  }

  private void spawn(String name, long seed, Loop loop) {
    Thread thread = new Thread(() -> {
      Random random = new Random(seed);
      try {
        for (int i = 0; !stop.get() && i < 1_000_000; i++) {
          loop.step(random);
        }
      } catch (UncheckedIOException killed) {
        // the server process died mid-request: this client's part of the cycle is over
      } catch (RuntimeException | AssertionError e) {
        failures.add(name + ": " + e);
      }
    }, "crash-" + name);
    threads.add(thread);
    thread.start();
  }

  private void publish(Random random, int cycle, int publisher) {
    String content = "c" + cycle + "-p" + publisher + "-" + sequence.incrementAndGet();
    ApiClient.Call call = api.post("/v1/channels/" + channel + "/messages", json("content", content)).key(publisherKey);
    String key = random.nextBoolean() ? "idem-" + content : null;
    if (key != null) {
      call.header("Idempotency-Key", key);
      keyed.put(key, new Keyed(key, content, null, null));
    }
    Response posted = send(call);
    if (posted.status() == 201) {
      JsonNode message = posted.json().get("message");
      ledger.posted(message);
      synchronized (messageIds) {
        messageIds.add(message.get("id").asText());
      }
      if (key != null) {
        keyed.put(key, new Keyed(key, content, message.get("id").asText(), posted.body()));
      }
    }
  }

  private void claim(Random random, String worker, String verb, JsonNode body) {
    String id = pick(random);
    if (id == null) {
      pause();
      return;
    }
    Response claimed = send(api.post("/v1/messages/" + id + verb, body).key(workerKeys.get(worker)));
    record(random, worker, claimed);
  }

  private void claimNext(Random random) {
    Response claimed = send(api.post("/v1/channels/" + channel + "/claim-next",
        json("actor", "next", "lease_seconds", leaseSeconds(random))).key(workerKeys.get("next")));
    if (claimed.status() == 204) {
      pause();
    }
    record(random, "next", claimed);
  }

  private void record(Random random, String worker, Response claimed) {
    if (claimed.status() != 200 || "already_claimed".equals(claimed.text("status"))
        || "already_acknowledged".equals(claimed.text("status"))) {
      return;
    }
    ledger.claimed(worker, claimed.json());
    if (random.nextInt(3) > 0) {
      Ledger.Claim claim = new Ledger.Claim(claimed.json().get("message").get("id").asText(), worker,
          claimed.json().get("fence").asLong(), null, claimed.text("lease_token"), null);
      toAck.add(claim);
    }
  }

  /** Acks two claims in three (as their holder, with their fence) and heartbeats the rest if leased. */
  private void ackOrHeartbeat(Random random) {
    Ledger.Claim claim;
    try {
      claim = toAck.poll(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (claim == null) {
      return;
    }
    String key = workerKeys.get(claim.worker());
    if (claim.isLease() && random.nextInt(3) == 0) {
      Response renewed = send(api.post("/v1/leases/" + claim.leaseToken() + "/heartbeat",
          json("lease_seconds", 3600, "fence", claim.fence())).key(key));
      if (renewed.status() == 200) {
        ledger.renewed(claim.leaseToken(), renewed.json());
      }
      return;
    }
    Response acked = send(api.post("/v1/messages/" + claim.messageId() + "/ack",
        json("actor", claim.worker(), "fence", claim.fence())).key(key));
    if (acked.status() == 200) {
      ledger.acked(claim.messageId(), claim.worker(), claim.fence());
    }
  }

  /** Half the leases are short enough to lapse during the run, so takeovers and the sweep happen. */
  private static int leaseSeconds(Random random) {
    return random.nextBoolean() ? 30 : 3600;
  }

  private String pick(Random random) {
    synchronized (messageIds) {
      return messageIds.isEmpty() ? null : messageIds.get(random.nextInt(messageIds.size()));
    }
  }

  private Response send(ApiClient.Call call) {
    Response response = call.send();
    answered.incrementAndGet();
    if (response.status() >= 500) {
      throw new AssertionError("server error during the crash workload: " + response);
    }
    return response;
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Failures the client threads saw (a 5xx, an unexpected exception); empty when all went well. */
  List<String> failures() {
    return List.copyOf(failures);
  }
}
