package dev.backchannel.stream;

import dev.backchannel.store.Committed;
import dev.backchannel.time.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
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
 *
 * <p>Work is done in passes. The batches that arrived since the last pass are routed together:
 * each event's frame is encoded once and shared by every stream it goes to, each stream writes
 * what it collected in one write at the end of the pass, and each long-poll waiter of a channel
 * the pass touched is woken once. Under load several commits fall into one pass, so the number
 * of writes per stream grows with the passes, not with the messages.
 */
public final class Hub {
  private final Vertx vertx;
  private final FrameEncoder encoder;
  private final Ticker ticker;
  private final Map<String, Set<Subscriber>> byChannel = new HashMap<>();
  private final Set<Subscriber> everything = new LinkedHashSet<>();
  private final Set<Subscriber> all = new LinkedHashSet<>();
  private final Map<String, List<Runnable>> waiters = new HashMap<>();
  private final ArrayDeque<CommittedBatch> arrived = new ArrayDeque<>();
  private final List<Subscriber> toFlush = new ArrayList<>();
  private final Set<String> toWake = new LinkedHashSet<>();
  private MessageConsumer<CommittedBatch> consumer;
  private Context context;
  private long heartbeatTimer = -1;
  private int waiterCount;
  private boolean passScheduled;
  private boolean inPass;

  /** @param ticker the time heartbeats are due by (tests move it) */
  public Hub(Vertx vertx, FrameEncoder encoder, Ticker ticker) {
    this.vertx = vertx;
    this.encoder = encoder;
    this.ticker = ticker;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Starts listening; call on the owning event loop. */
  public void start() {
    context = vertx.getOrCreateContext();
    consumer = vertx.eventBus().localConsumer(CommittedBatch.ADDRESS, message -> arrived(message.body()));
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

  /** Runs {@code wake} once, after the next pass with a commit in the channel, unless cancelled first. */
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

  /** Monotonic now, from the hub's ticker. */
  public long now() {
    return ticker.nanos();
  }

  /** True while a pass runs: writes then wait for its end, where each stream flushes once. */
  boolean inPass() {
    return inPass;
  }

  /** Flushes the subscriber at the end of the running pass. */
  void flushAtEndOfPass(Subscriber subscriber) {
    toFlush.add(subscriber);
  }

  /** Queues the batch for the next pass; batches arriving before that pass runs join it. */
  private void arrived(CommittedBatch batch) {
    arrived.add(batch);
    if (!passScheduled) {
      passScheduled = true;
      context.runOnContext(v -> {
        passScheduled = false;
        pass();
      });
    }
  }

  /** Runs one pass over this batch at once (and whatever else has arrived). */
  void dispatch(CommittedBatch batch) {
    arrived.add(batch);
    pass();
  }

  private void pass() {
    inPass = true;
    try {
      CommittedBatch batch;
      while ((batch = arrived.poll()) != null) {
        route(batch);
      }
    } finally {
      inPass = false;
    }
    for (int i = 0; i < toFlush.size(); i++) {
      toFlush.get(i).flush();
    }
    toFlush.clear();
    if (!toWake.isEmpty()) {
      List<String> channels = new ArrayList<>(toWake);
      toWake.clear();
      channels.forEach(this::wakeWaiters);
    }
  }

  private void route(CommittedBatch batch) {
    for (Committed change : batch.events()) {
      if (change.kind() == Committed.Kind.LIVE_GAP) {
        endEveryStream();
        continue;
      }
      String channelId = change.channelId();
      if (channelId == null) {
        deliver(new HubEvent(change, encoder), all);
        continue;
      }
      if (waiters.containsKey(channelId)) {
        toWake.add(channelId);
      }
      Set<Subscriber> subscribers = byChannel.get(channelId);
      if ((subscribers == null || subscribers.isEmpty()) && everything.isEmpty()) {
        continue;
      }
      HubEvent event = new HubEvent(change, encoder);
      if (subscribers != null) {
        deliver(event, subscribers);
      }
      deliver(event, everything);
    }
  }

  /** Live delivery missed changes: every stream ends cleanly, and waiters read again. */
  private void endEveryStream() {
    for (Subscriber subscriber : all.toArray(new Subscriber[0])) {
      subscriber.shutdown();
    }
    toWake.addAll(waiters.keySet());
  }

  private static void deliver(HubEvent event, Set<Subscriber> subscribers) {
    if (subscribers.isEmpty()) {
      return;
    }
    for (Subscriber subscriber : subscribers.toArray(new Subscriber[0])) {
      subscriber.onEvent(event);
    }
  }

  private void wakeWaiters(String channelId) {
    List<Runnable> woken = waiters.remove(channelId);
    if (woken != null) {
      waiterCount -= woken.size();
      woken.forEach(Runnable::run);
    }
  }

  /** Lets every stream and feed send a heartbeat that is due; a periodic timer calls it. */
  void tick() {
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
