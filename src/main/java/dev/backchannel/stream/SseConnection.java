package dev.backchannel.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * One SSE stream of one or more channels (extensions §2). Resuming never loses or repeats a
 * message: it subscribes to live changes first (buffering them), replays the stored backlog after
 * the resume point, then drains the buffer skipping what the backlog already sent, then goes live.
 */
public final class SseConnection extends ResumableStream<Message> {
  private final StreamSpec spec;
  private final String keyId;
  private final Backlog backlog;
  private final FrameEncoder encoder;
  private Runnable unsubscribe = () -> { };
  private Cursor next; // where the first replay page starts
  private long lastSeq;

  public SseConnection(Hub hub, SseSink sink, StreamSpec spec, String keyId, Backlog backlog, FrameEncoder encoder,
      Metrics metrics, Runnable onClose) {
    super(hub, sink, spec.heartbeat(), metrics, onClose);
    this.spec = spec;
    this.keyId = keyId;
    this.backlog = backlog;
    this.encoder = encoder;
  }

  @Override
  public void start() {
    open();
    unsubscribe = hub.subscribe(spec.channelIds(), this);
    Cursor from = spec.resumeFrom();
    if (from == null) {
      goLive();
      return;
    }
    next = from;
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
      replay();
    });
  }

  static Buffer reset(Backlog.HistoryGap gap) {
    String oldest = gap.oldestSeq() == null ? "null" : gap.oldestSeq().toString();
    return SseFrame.of(0, "reset", "{\"reason\":\"history_gap\",\"oldest_seq\":" + oldest + "}");
  }

  /** The first page starts at the resume point as given (a seq or a time); later ones after the last seq sent. */
  @Override
  protected Future<List<Message>> page(int limit) {
    Cursor after = next != null ? next : new Cursor.AfterSeq(lastSeq);
    next = null;
    return backlog.page(spec.channelIds(), after, limit);
  }

  @Override
  protected void deliverStored(Message message) {
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

  @Override
  public void onEvent(HubEvent event) {
    if (endsThisStream(event)) {
      shutdown();
    } else {
      accept(event);
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

  @Override
  protected void deliverLive(HubEvent event) {
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
    super.onClosed();
    unsubscribe.run();
  }
}
