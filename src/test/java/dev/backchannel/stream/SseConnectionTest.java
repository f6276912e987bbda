package dev.backchannel.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import dev.backchannel.message.QueueState;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The resume protocol and slow-reader handling, driven without sockets. */
class SseConnectionTest {
  static final String CHANNEL = "c1";

  final RecordingSink sink = new RecordingSink();
  final FakeBacklog backlog = new FakeBacklog();
  final Hub hub = new Hub(null, new TextFrames(), System::nanoTime);
  final AtomicInteger cuts = new AtomicInteger();
  final Metrics metrics = new Metrics() {
    @Override
    public void streamCutSlow() {
      cuts.incrementAndGet();
    }
  };

  SseConnection connect(Cursor from) {
    return connect(hub, sink, from);
  }

  SseConnection connect(Hub hub, SseSink sink, Cursor from) {
    StreamSpec spec = new StreamSpec(Set.of(CHANNEL), from, Set.of(Committed.Kind.MESSAGE_POSTED), Map.of(),
        Duration.ofSeconds(15));
    SseConnection connection = new SseConnection(hub, sink, spec, "key", backlog, new TextFrames(), metrics, () -> { });
    connection.start();
    return connection;
  }

  @Test
  void liveChangesArrivingDuringReplayAreBufferedAndNeverDuplicated() {
    connect(new Cursor.AfterSeq(0));
    backlog.gap.complete(null);
    // Committed while the backlog query runs: seq 2 is also in the backlog, seq 3 is not.
    hub.dispatch(batch(2, 3));
    backlog.pages.poll().complete(List.of(message(1), message(2)));
    assertThat(sink.seqs()).containsExactly(1L, 2L, 3L);
    hub.dispatch(batch(4));
    assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aGapInLiveDeliveryEndsTheStreamSoTheClientResumesFromTheTables() {
    connect(new Cursor.AfterSeq(0));
    backlog.gap.complete(null);
    backlog.pages.poll().complete(List.of(message(1)));
    hub.dispatch(batch(2));

    hub.dispatch(new CommittedBatch(List.of(new Committed(Committed.Kind.LIVE_GAP, null, 5, null))));

    assertThat(sink.seqs()).containsExactly(1L, 2L);
    assertThat(sink.ended).isTrue();
    assertThat(hub.subscribers()).isZero();
  }

  @Test
  void aHeartbeatIsNotSkippedWhenTimeMovesWhileItIsWritten() {
    AtomicLong now = new AtomicLong();
    Hub ticking = new Hub(null, new TextFrames(), now::get);
    long interval = Duration.ofSeconds(15).toNanos();
    // The reader reacts to a frame before the write returns: by then time has moved on.
    RecordingSink eager = new RecordingSink() {
      @Override
      public void write(Buffer frame) {
        super.write(frame);
        now.addAndGet(interval);
      }
    };
    connect(ticking, eager, null);
    for (int beat = 1; beat <= 3; beat++) {
      int before = eager.frames.size();
      ticking.tick();
      assertThat(eager.frames).as("heartbeat " + beat).hasSize(before + 1);
    }
  }

  @Test
  void eventsOfOnePassReachAStreamInOneWrite() {
    connect(null);
    int before = sink.frames.size();
    hub.dispatch(batch(1, 2, 3));
    assertThat(sink.frames).hasSize(before + 1);
    assertThat(sink.seqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aFullBacklogPageIsFollowedByTheNextOne() {
    connect(Cursor.START);
    backlog.gap.complete(null);
    List<Message> full = new ArrayList<>();
    for (long seq = 1; seq <= SseConnection.PAGE; seq++) {
      full.add(message(seq));
    }
    backlog.pages.poll().complete(full);
    assertThat(backlog.lastCursor).isEqualTo(new Cursor.AfterSeq(SseConnection.PAGE));
    backlog.pages.poll().complete(List.of(message(SseConnection.PAGE + 1)));
    assertThat(sink.seqs()).hasSize(SseConnection.PAGE + 1).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void aHistoryGapIsAnnouncedBeforeTheBacklog() {
    connect(new Cursor.AfterSeq(3));
    backlog.gap.complete(new Backlog.HistoryGap(9L));
    backlog.pages.poll().complete(List.of(message(9)));
    assertThat(sink.frames.get(1)).startsWith("event: reset\ndata: {\"reason\":\"history_gap\",\"oldest_seq\":9}");
    assertThat(sink.seqs()).containsExactly(9L);
  }

  @Test
  void aReaderThatCannotKeepUpIsCutNotWaitedFor() {
    connect(null);
    sink.full = true;
    hub.dispatch(batch(1));
    assertThat(sink.cut).isTrue();
    assertThat(cuts).hasValue(1);
    assertThat(hub.subscribers()).isZero();
  }

  @Test
  void tooMuchBufferedDuringReplayCutsTheStream() {
    connect(Cursor.START);
    for (long seq = 1; seq <= SseConnection.MAX_BUFFERED + 1; seq++) {
      hub.dispatch(batch(seq));
    }
    assertThat(sink.cut).isTrue();
  }

  @Test
  void shutdownEndsTheStreamCleanly() {
    connect(null);
    hub.stop();
    assertThat(sink.ended).isTrue();
    assertThat(sink.cut).isFalse();
  }

  static CommittedBatch batch(long... seqs) {
    List<Committed> events = new ArrayList<>();
    for (long seq : seqs) {
      events.add(new Committed(Committed.Kind.MESSAGE_POSTED, CHANNEL, seq, message(seq)));
    }
    return new CommittedBatch(events);
  }

  static Message message(long seq) {
    Instant at = Instant.EPOCH.plusSeconds(seq);
    return new Message(seq, "m" + seq, CHANNEL, null, null, "content " + seq, "{}", "[]", at, at.plusSeconds(3600),
        null, null, null, null, null, 0, "[]", QueueState.fresh(5, null), null, null, 0);
  }

  /** Frames whose data is just the sequence number. */
  static final class TextFrames implements FrameEncoder {
    @Override
    public Buffer encode(Committed change) {
      return SseFrame.of(change.seq(), "message", Long.toString(change.seq()));
    }

    @Override
    public Buffer message(Message message) {
      return SseFrame.of(message.seq(), "message", Long.toString(message.seq()));
    }
  }

  static final class FakeBacklog implements Backlog {
    final Promise<HistoryGap> gap = Promise.promise();
    final ArrayDeque<Promise<List<Message>>> pages = new ArrayDeque<>();
    Cursor lastCursor;

    @Override
    public Future<List<Message>> page(Set<String> channelIds, Cursor after, int limit) {
      lastCursor = after;
      Promise<List<Message>> page = Promise.promise();
      pages.add(page);
      return page.future();
    }

    @Override
    public Future<HistoryGap> gap(Set<String> channelIds, Cursor after) {
      return gap.future();
    }
  }

  static class RecordingSink implements SseSink {
    final List<String> frames = new ArrayList<>();
    boolean full;
    boolean ended;
    boolean cut;

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void write(Buffer frame) {
      frames.add(frame.toString());
    }

    @Override
    public void onDrain(Runnable handler) {
      handler.run();
    }

    @Override
    public void end() {
      ended = true;
    }

    @Override
    public void cut() {
      cut = true;
    }

    List<Long> seqs() {
      List<Long> seqs = new ArrayList<>();
      for (String write : frames) {
        for (String line : write.split("\n")) {
          if (line.startsWith("id: ")) {
            seqs.add(Long.parseLong(line.substring(4)));
          }
        }
      }
      return seqs;
    }
  }
}
