package dev.backchannel.stream;

import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentFrames;
import dev.backchannel.agent.AgentService;
import dev.backchannel.key.Caller;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;

/**
 * Only the mentions of the caller's owner's actors, as SSE: {@code event: mention} frames whose
 * ids are mention seqs, and an {@code event: heartbeat} when idle, for runtimes that wait on
 * mentions alone. Resumes from {@code Last-Event-ID} through {@link ResumableStream}.
 */
public final class MentionStream extends AgentEventStream {
  private static final Buffer HEARTBEAT = SseFrame.of(0, "heartbeat", "{}");

  private final AgentService agents;
  private Runnable unsubscribe = () -> { };

  /** @param resumeAfter the mention seq to resume after, or null for new mentions only */
  public MentionStream(Hub hub, SseSink sink, Caller caller, Long resumeAfter, AgentService agents,
      AgentFrames frames, Duration heartbeat, Metrics metrics, Runnable onClose) {
    super(hub, sink, caller, resumeAfter, frames, heartbeat, metrics, onClose);
    this.agents = agents;
  }

  @Override
  public void start() {
    open();
    unsubscribe = hub.subscribeAll(this);
    resume();
  }

  @Override
  protected Future<List<AgentEvent>> page(int limit) {
    return agents.mentions(caller, lastSeq, limit);
  }

  @Override
  public void onEvent(HubEvent event) {
    if (revokesKey(event)) {
      shutdown();
    } else if (event.kind() == Committed.Kind.MENTIONED
        && caller.ownerId().equals(((AgentEvent) event.change().subject()).mention().ownerId())) {
      accept(event);
    }
  }

  @Override
  protected void deliverLive(HubEvent event) {
    if (event.seq() > lastSeq) {
      lastSeq = event.seq();
      send(frames.event((AgentEvent) event.change().subject()));
    }
  }

  @Override
  protected Buffer heartbeatFrame() {
    return HEARTBEAT;
  }

  @Override
  protected void onClosed() {
    super.onClosed();
    unsubscribe.run();
  }
}
