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
 */
public final class SseConnection extends SseStream {
  static final int PAGE = 500;
  static final int MAX_BUFFERED = 10_000;

  private final Hub hub;
  private final StreamSpec spec;
  private final String keyId;
  private final Backlog backlog;
  private final FrameEncoder encoder;
  private final ArrayDeque<HubEvent> buffered = new ArrayDeque<>();
  private Runnable unsubscribe = () -> { };
  private boolean live;
  private long lastSeq;

  public SseConnection(Hub hub, SseSink sink, StreamSpec spec, String keyId, Backlog backlog, FrameEncoder encoder,
      Metrics metrics, Runnable onClose) {
    super(sink, spec.heartbeat(), metrics, onClose);
    this.hub = hub;
    this.spec = spec;
    this.keyId = keyId;
    this.backlog = backlog;
    this.encoder = encoder;
  }

  public void start() {
    open();
    unsubscribe = hub.subscribe(spec.channelIds(), this);
    Cursor from = spec.resumeFrom();
    if (from == null) {
      live = true;
      return;
    }
    lastSeq = from instanceof Cursor.AfterSeq after ? after.seq() : 0;
    backlog.gap(spec.channelIds(), from).onComplete(gap -> {
      if (isClosed()) {
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

  static Buffer reset(Backlog.HistoryGap gap) {
    String oldest = gap.oldestSeq() == null ? "null" : gap.oldestSeq().toString();
    return SseFrame.of(0, "reset", "{\"reason\":\"history_gap\",\"oldest_seq\":" + oldest + "}");
  }

  private void replay(Cursor after) {
    backlog.page(spec.channelIds(), after, PAGE).onComplete(page -> {
      if (isClosed()) {
        return;
      }
      if (page.failed()) {
        shutdown();
        return;
      }
      for (Message message : page.result()) {
        deliverStored(message);
      }
      if (isClosed()) {
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
      // The backlog paces itself on drain, so a full queue here is not a slow reader yet.
      sink.write(encoder.message(message));
      metrics.eventsSent(1);
    }
  }

  private void goLive() {
    live = true;
    while (!buffered.isEmpty() && !isClosed()) {
      deliverLive(buffered.poll());
    }
  }

  @Override
  public void onEvent(HubEvent event) {
    if (endsThisStream(event)) {
      shutdown();
    } else if (live) {
      deliverLive(event);
    } else if (buffered.size() >= MAX_BUFFERED) {
      cutSlow();
    } else {
      buffered.add(event);
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
      send(frame);
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

  @Override
  protected void onClosed() {
    buffered.clear();
    unsubscribe.run();
  }
}
