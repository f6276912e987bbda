package dev.backchannel.stream;

import dev.backchannel.store.Committed;
import dev.backchannel.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live side of one event loop: receives every committed batch from the event bus (after
 * COMMIT, in commit order) and hands each change to the streams and long-poll waiters of that
 * loop. Single-threaded by construction: every method runs on the owning event loop.
 */
public final class Hub {
  private final Vertx vertx;
  private final FrameEncoder encoder;
  private final Ticker ticker;
  private final Map<String, Set<Subscriber>> byChannel = new HashMap<>();
  private final Set<Subscriber> everything = new LinkedHashSet<>();
  private final Set<Subscriber> all = new LinkedHashSet<>();
  private final Map<String, List<Runnable>> waiters = new HashMap<>();
  private MessageConsumer<CommittedBatch> consumer;
  private long heartbeatTimer = -1;
  private int waiterCount;

  public Hub(Vertx vertx, FrameEncoder encoder, Ticker ticker) {
    this.vertx = vertx;
    this.encoder = encoder;
    this.ticker = ticker;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The monotonic time heartbeats are measured in. */
  public Ticker ticker() {
    return ticker;
  }

  /** Starts listening; call on the owning event loop. */
  public void start() {
    consumer = vertx.eventBus().localConsumer(CommittedBatch.ADDRESS, message -> dispatch(message.body()));
    heartbeatTimer = vertx.setPeriodic(1000, id -> tick());
  }

  /** Ends every stream and stops listening. */
  public void stop() {
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    for (Subscriber subscriber : new ArrayList<>(all)) {
      subscriber.shutdown();
    }
    byChannel.clear();
    everything.clear();
    all.clear();
  }

  /** Delivers changes of these channels to the subscriber until the returned handle runs. */
  public Runnable subscribe(Set<String> channelIds, Subscriber subscriber) {
    for (String channelId : channelIds) {
      byChannel.computeIfAbsent(channelId, id -> new LinkedHashSet<>()).add(subscriber);
    }
    all.add(subscriber);
    return () -> {
      all.remove(subscriber);
      for (String channelId : channelIds) {
        Set<Subscriber> subscribers = byChannel.get(channelId);
        if (subscribers != null && subscribers.remove(subscriber) && subscribers.isEmpty()) {
          byChannel.remove(channelId);
        }
      }
    };
  }

  /** Delivers every change to the subscriber (wake feeds filter for themselves). */
  public Runnable subscribeAll(Subscriber subscriber) {
    everything.add(subscriber);
    all.add(subscriber);
    return () -> {
      everything.remove(subscriber);
      all.remove(subscriber);
    };
  }

  /** Runs {@code wake} once, on the next commit in the channel, unless cancelled first. */
  public Runnable awaitCommit(String channelId, Runnable wake) {
    waiters.computeIfAbsent(channelId, id -> new ArrayList<>()).add(wake);
    waiterCount++;
    return () -> {
      List<Runnable> list = waiters.get(channelId);
      if (list != null && list.remove(wake)) {
        waiterCount--;
        if (list.isEmpty()) {
          waiters.remove(channelId);
        }
      }
    };
  }

  public int waiters() {
    return waiterCount;
  }

  void dispatch(CommittedBatch batch) {
    for (Committed change : batch.events()) {
      String channelId = change.channelId();
      if (channelId == null) {
        HubEvent event = new HubEvent(change, encoder);
        for (Subscriber subscriber : all.toArray(new Subscriber[0])) {
          subscriber.onEvent(event);
        }
        continue;
      }
      Set<Subscriber> subscribers = byChannel.get(channelId);
      if ((subscribers == null || subscribers.isEmpty()) && everything.isEmpty()) {
        wakeWaiters(channelId);
        continue;
      }
      HubEvent event = new HubEvent(change, encoder);
      if (subscribers != null) {
        for (Subscriber subscriber : subscribers.toArray(new Subscriber[0])) {
          subscriber.onEvent(event);
        }
      }
      for (Subscriber subscriber : everything.toArray(new Subscriber[0])) {
        subscriber.onEvent(event);
      }
      wakeWaiters(channelId);
    }
  }

  private void wakeWaiters(String channelId) {
    List<Runnable> woken = waiters.remove(channelId);
    if (woken != null) {
      waiterCount -= woken.size();
      woken.forEach(Runnable::run);
    }
  }

  private void tick() {
    long now = ticker.nanos();
    for (Subscriber subscriber : all.toArray(new Subscriber[0])) {
      subscriber.tick(now);
    }
  }

  /** Open streams and feeds on this event loop. */
  public int subscribers() {
    return all.size();
  }
}
