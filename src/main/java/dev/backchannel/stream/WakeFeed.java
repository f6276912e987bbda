package dev.backchannel.stream;

import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentFrames;
import dev.backchannel.agent.AgentService;
import dev.backchannel.agent.FeedFilter;
import dev.backchannel.key.Caller;
import dev.backchannel.message.Message;
import dev.backchannel.ops.Metrics;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent's wake feed as SSE (extensions §5): mentions of its owner's actors, new messages in
 * channels they subscribe to, and a warning before a lease its key holds lapses. Resumable by
 * {@code Last-Event-ID} like channel streams: subscribe, replay, drain, live.
 */
public final class WakeFeed extends AgentEventStream {
  private final AgentService agents;
  private final Duration leaseWarning;
  private final Clock clock;
  private final Map<String, Lease> leases = new HashMap<>();
  private Runnable unsubscribe = () -> { };
  private FeedFilter filter;

  private static final class Lease {
    final Message message;
    final Instant expiresAt;
    boolean warned;

    Lease(Message message) {
      this.message = message;
      this.expiresAt = message.leaseExpiresAt();
    }
  }

  /** @param resumeAfter the sequence number to resume after, or null for new events only */
  public WakeFeed(Hub hub, SseSink sink, Caller caller, Long resumeAfter, AgentService agents, AgentFrames frames,
      Duration heartbeat, Duration leaseWarning, Clock clock, Metrics metrics, Runnable onClose) {
    super(hub, sink, caller, resumeAfter, frames, heartbeat, metrics, onClose);
    this.agents = agents;
    this.leaseWarning = leaseWarning;
    this.clock = clock;
  }

  @Override
  public void start() {
    open();
    unsubscribe = hub.subscribeAll(this);
    Future<FeedFilter> loadFilter = agents.feedFilter(caller);
    Future<List<Message>> loadLeases = agents.leasesHeldBy(caller);
    Future.all(loadFilter, loadLeases).onComplete(loaded -> {
      if (isClosed()) {
        return;
      }
      if (loaded.failed()) {
        shutdown();
        return;
      }
      filter = loadFilter.result();
      loadLeases.result().forEach(this::track);
      resume();
    });
  }

  @Override
  protected Future<List<AgentEvent>> page(int limit) {
    return agents.feed(caller, lastSeq, limit);
  }

  @Override
  public void onEvent(HubEvent event) {
    if (revokesKey(event)) {
      shutdown();
      return;
    }
    trackLease(event);
    accept(event);
  }

  @Override
  protected void deliverLive(HubEvent event) {
    AgentEvent feedEvent = filter.eventFor(event.change());
    if (event.seq() <= lastSeq) {
      return;
    }
    lastSeq = event.seq();
    if (feedEvent != null) {
      send(frames.event(feedEvent));
    }
  }

  private void trackLease(HubEvent event) {
    Message message = event.message();
    if (message == null) {
      return;
    }
    switch (event.kind()) {
      case MESSAGE_CLAIMED, LEASE_RENEWED -> track(message);
      case MESSAGE_RELEASED, MESSAGE_ACKED, MESSAGE_EXPIRED, MESSAGE_RETRACTED -> leases.remove(message.id());
      default -> { }
    }
  }

  private void track(Message message) {
    if (caller.keyId().equals(message.claimedByKeyId()) && message.leaseExpiresAt() != null) {
      leases.put(message.id(), new Lease(message));
    } else {
      leases.remove(message.id());
    }
  }

  @Override
  public void tick(long nanoTime) {
    super.tick(nanoTime);
    if (!isLive() || isClosed() || leases.isEmpty()) {
      return;
    }
    Instant warnAfter = clock.instant().plus(leaseWarning);
    leases.values().removeIf(lease -> !lease.expiresAt.isAfter(clock.instant()));
    for (Lease lease : leases.values()) {
      if (!lease.warned && !lease.expiresAt.isAfter(warnAfter)) {
        lease.warned = true;
        send(frames.leaseExpiring(lease.message, lease.expiresAt));
      }
    }
  }

  @Override
  protected void onClosed() {
    super.onClosed();
    leases.clear();
    unsubscribe.run();
  }
}
