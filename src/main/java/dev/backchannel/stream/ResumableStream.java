package dev.backchannel.stream;

import dev.backchannel.ops.Metrics;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The resume routine every resumable stream shares, so a reconnect never loses or repeats an
 * event: subscribe to live events first (buffering them), replay the stored events after the
 * resume point a page at a time (paced by the reader's drain), then deliver the buffer, then go
 * live. Subclasses say how to read a page of stored events and how to deliver stored and live
 * ones (skipping, by sequence, what the replay already sent).
 *
 * @param <T> a stored event as its page query returns it
 */
public abstract class ResumableStream<T> extends SseStream {
  static final int PAGE = 500;
  static final int MAX_BUFFERED = 10_000;

  private final ArrayDeque<HubEvent> buffered = new ArrayDeque<>();
  private boolean live;

  protected ResumableStream(Hub hub, SseSink sink, Duration heartbeat, Metrics metrics, Runnable onClose) {
    super(hub, sink, heartbeat, metrics, onClose);
  }

  /** Opens the stream: the preamble, the live subscription, then the replay from the resume point. */
  public abstract void start();

  /** The next page of stored events, in sequence order, after what was delivered so far. */
  protected abstract Future<List<T>> page(int limit);

  /** Writes a stored event unless already sent; the replay paces itself, so it writes directly. */
  protected abstract void deliverStored(T stored);

  /** Delivers a live event unless the replay already sent it. */
  protected abstract void deliverLive(HubEvent event);

  /** Replays the stored events after the resume point, then goes live. */
  protected final void replay() {
    page(PAGE).onComplete(page -> {
      if (isClosed()) {
        return;
      }
      if (page.failed()) {
        shutdown();
        return;
      }
      for (T stored : page.result()) {
        deliverStored(stored);
      }
      if (isClosed()) {
        return;
      }
      if (page.result().size() < PAGE) {
        goLive();
      } else if (sink.writeQueueFull()) {
        sink.onDrain(this::replay);
      } else {
        replay();
      }
    });
  }

  /** Delivers what was buffered during the replay, then every event as it comes. */
  protected final void goLive() {
    live = true;
    while (!buffered.isEmpty() && !isClosed()) {
      deliverLive(buffered.poll());
    }
  }

  /** A live event for this stream: delivered when live, else buffered (a buffer overflow cuts the stream). */
  protected final void accept(HubEvent event) {
    if (live) {
      deliverLive(event);
    } else if (buffered.size() >= MAX_BUFFERED) {
      cutSlow();
    } else {
      buffered.add(event);
    }
  }

  protected final boolean isLive() {
    return live;
  }

  @Override
  protected void onClosed() {
    buffered.clear();
  }
}
