package dev.backchannel.testing;

import static dev.backchannel.testing.ApiClient.json;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads posting distinct messages to one channel until closed, a time limit passes or the
 * server stops answering; remembers every message acknowledged with 201.
 */
public final class Posters implements AutoCloseable {
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final long deadline;

  private Posters(Duration limit) {
    this.deadline = System.nanoTime() + limit.toNanos();
  }

  public static Posters start(ApiClient api, String key, String channel, int count, Duration limit) {
    Posters posters = new Posters(limit);
    for (int i = 0; i < count; i++) {
      int poster = i;
      Thread thread = new Thread(() -> posters.post(api, key, channel, poster), "poster-" + i);
      posters.threads.add(thread);
      thread.start();
    }
    return posters;
  }

  private void post(ApiClient api, String key, String channel, int poster) {
    for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
      try {
        ApiClient.Response posted = api.post("/v1/channels/" + channel + "/messages",
            json("content", "poster " + poster + " message " + n)).key(key).send();
        if (posted.status() == 201) {
          acknowledged.add(posted.json().get("message").get("id").asText());
        }
      } catch (UncheckedIOException e) {
        return; // the server no longer accepts connections
      }
    }
  }

  /** What was acknowledged so far. */
  public Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /** Waits until at least {@code count} messages are acknowledged; fails at the time limit. */
  public Posters awaitAcknowledged(int count) throws InterruptedException {
    while (acknowledged.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (acknowledged.size() < count) {
      throw new AssertionError("only " + acknowledged.size() + " of " + count + " messages acknowledged in time");
    }
    return this;
  }

  /** Waits for the threads to end by themselves (the server went away, or the time limit). */
  public void join() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 10_000));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    join();
  }
}
