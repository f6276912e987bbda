package dev.backchannel.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One SSE stream of one or more channels (extensions §2). Resuming never loses or repeats a
 * message: it subscribes to live changes first (buffering them), replays the stored backlog after
 * the resume point, then drains the buffer skipping what the backlog already sent, then goes live.
 * A reader that cannot keep up is cut, never waited for; it resumes with Last-Event-ID.
 */
public final class SseConnection implements Subscriber {
  static final int PAGE = 500;
  static final int MAX_BUFFERED = 10_000;

  private enum State { STARTING, REPLAYING, LIVE, CLOSED }

  private final Hub hub;
  private final SseSink sink;
  private final StreamSpec spec;
  private final String keyId;
  private final Backlog backlog;
  private final FrameEncoder encoder;
  private final Metrics metrics;
  private final Runnable onClose;
  private final ArrayDeque<HubEvent> buffered = new ArrayDeque<>();
  private final long heartbeatNanos;
  private Runnable unsubscribe = () -> { };
  private State state = State.STARTING;
  private long lastSeq;
  private long nextHeartbeat;

  public SseConnection(Hub hub, SseSink sink, StreamSpec spec, String keyId, Backlog backlog, FrameEncoder encoder,
      Metrics metrics, Runnable onClose) {
    this.hub = hub;
    this.sink = sink;
    this.spec = spec;
    this.keyId = keyId;
    this.backlog = backlog;
    this.encoder = encoder;
    this.metrics = metrics;
    this.onClose = onClose;
    this.heartbeatNanos = spec.heartbeat().toNanos();
  }

  public void start() {
    metrics.streamOpened();
    sink.write(SseFrame.PREAMBLE);
    scheduleHeartbeat();
    unsubscribe = hub.subscribe(spec.channelIds(), this);
    Cursor from = spec.resumeFrom();
    if (from == null) {
      state = State.LIVE;
      return;
    }
    state = State.REPLAYING;
    lastSeq = from instanceof Cursor.AfterSeq after ? after.seq() : 0;
    backlog.gap(spec.channelIds(), from).onComplete(gap -> {
      if (state == State.CLOSED) {
        return;
      }
      if (gap.failed()) {
        shutdown();
        return;
      }
      if (gap.result() != null) {
        write(reset(gap.result()));
      }
      replay(from);
    });
  }

  private static Buffer reset(Backlog.HistoryGap gap) {
    String oldest = gap.oldestSeq() == null ? "null" : gap.oldestSeq().toString();
    return SseFrame.of(0, "reset", "{\"reason\":\"history_gap\",\"oldest_seq\":" + oldest + "}");
  }

  private void replay(Cursor after) {
    backlog.page(spec.channelIds(), after, PAGE).onComplete(page -> {
      if (state == State.CLOSED) {
        return;
      }
      if (page.failed()) {
        shutdown();
        return;
      }
      for (Message message : page.result()) {
        deliverStored(message);
      }
      if (state == State.CLOSED) {
        return;
      }
      if (page.result().size() < PAGE) {
        goLive();
      } else if (sink.writeQueueFull()) {
        sink.onDrain(() -> replay(new Cursor.AfterSeq(lastSeq)));
      } else {
        replay(new Cursor.AfterSeq(lastSeq));
      }
    });
  }

  private void deliverStored(Message message) {
    if (message.seq() <= lastSeq) {
      return;
    }
    lastSeq = message.seq();
    if (matches(HubEvent.parse(message.metadataJson()))) {
      sink.write(encoder.message(message));
      metrics.eventsSent(1);
      scheduleHeartbeat();
    }
  }

  private void goLive() {
    state = State.LIVE;
    while (!buffered.isEmpty() && state == State.LIVE) {
      deliverLive(buffered.poll());
    }
  }

  @Override
  public void onEvent(HubEvent event) {
    if (endsThisStream(event)) {
      shutdown();
      return;
    }
    if (state == State.REPLAYING || state == State.STARTING) {
      if (buffered.size() >= MAX_BUFFERED) {
        cutSlow();
      } else {
        buffered.add(event);
      }
    } else if (state == State.LIVE) {
      deliverLive(event);
    }
  }

  /** Deleting the channel, revoking the key or removing it from the channel ends its streams. */
  private boolean endsThisStream(HubEvent event) {
    return switch (event.kind()) {
      case CHANNEL_DELETED, ACCESS_RESTRICTED -> spec.channelIds().contains(event.change().channelId());
      case MEMBER_REMOVED, KEY_REVOKED -> keyId.equals(event.change().subject());
      default -> false;
    };
  }

  private void deliverLive(HubEvent event) {
    if (event.seq() <= lastSeq || !spec.kinds().contains(event.kind())) {
      return;
    }
    lastSeq = event.seq();
    Message message = event.message();
    if (message == null || !matches(event.metadata())) {
      return;
    }
    if (event.kind() == Committed.Kind.MESSAGE_POSTED && spec.resumeFrom() != null
        && !spec.resumeFrom().precedes(message.seq(), message.createdAt())) {
      return;
    }
    Buffer frame = event.frame();
    if (frame != null) {
      write(frame);
      metrics.eventsSent(1);
    }
  }

  private boolean matches(JsonNode metadata) {
    for (Map.Entry<String, String> filter : spec.metadataEquals().entrySet()) {
      JsonNode value = metadata.get(filter.getKey());
      if (value == null || value.isContainerNode() || value.isNull() || !value.asText().equals(filter.getValue())) {
        return false;
      }
    }
    return true;
  }

  private void write(Buffer frame) {
    if (sink.writeQueueFull()) {
      cutSlow();
      return;
    }
    sink.write(frame);
    scheduleHeartbeat();
  }

  @Override
  public void tick(long nanoTime) {
    if (state != State.CLOSED && nanoTime - nextHeartbeat >= 0) {
      write(SseFrame.HEARTBEAT);
    }
  }

  private void scheduleHeartbeat() {
    nextHeartbeat = System.nanoTime() + heartbeatNanos;
  }

  @Override
  public void shutdown() {
    if (close()) {
      sink.end();
    }
  }

  /** The connection went away (client closed, network error). */
  public void closed() {
    close();
  }

  private void cutSlow() {
    if (close()) {
      metrics.streamCutSlow();
      sink.cut();
    }
  }

  private boolean close() {
    if (state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    buffered.clear();
    unsubscribe.run();
    metrics.streamClosed();
    onClose.run();
    return true;
  }
}
