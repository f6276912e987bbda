package dev.backchannel.stream;

import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentFrames;
import dev.backchannel.key.Caller;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import java.time.Duration;

/**
 * What the streams of one agent's events share (the wake feed, the mention stream): events are
 * numbered by seq, resumed after the seq of {@code Last-Event-ID}, and end when the key is revoked.
 */
abstract class AgentEventStream extends ResumableStream<AgentEvent> {
  protected final Caller caller;
  protected final AgentFrames frames;
  private final Long resumeAfter;
  /** The seq of the last event sent or skipped: nothing at or before it is sent again. */
  protected long lastSeq;

  /** @param resumeAfter the sequence number to resume after, or null for new events only */
  AgentEventStream(Hub hub, SseSink sink, Caller caller, Long resumeAfter, AgentFrames frames, Duration heartbeat,
      Metrics metrics, Runnable onClose) {
    super(hub, sink, heartbeat, metrics, onClose);
    this.caller = caller;
    this.resumeAfter = resumeAfter;
    this.frames = frames;
  }

  /** Replays what came after the resume point, or goes live at once when there is none. */
  protected final void resume() {
    if (resumeAfter == null) {
      goLive();
    } else {
      lastSeq = resumeAfter;
      replay();
    }
  }

  @Override
  protected final void deliverStored(AgentEvent event) {
    if (event.seq() > lastSeq) {
      lastSeq = event.seq();
      sink.write(frames.event(event));
      metrics.eventsSent(1);
    }
  }

  /** Whether this change revokes the stream's key, which ends the stream. */
  protected final boolean revokesKey(HubEvent event) {
    return event.kind() == Committed.Kind.KEY_REVOKED && caller.keyId().equals(event.change().subject());
  }
}
