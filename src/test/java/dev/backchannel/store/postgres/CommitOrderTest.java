package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.store.Committed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This node's commits and the other nodes' come out in seq order, each once. */
class CommitOrderTest {
  private final List<Long> others = new ArrayList<>();
  private final List<Long> ordered = new ArrayList<>();
  private final CommitOrder order = new CommitOrder("here", batch -> batch.forEach(e -> others.add(e.seq())),
      batch -> batch.forEach(e -> ordered.add(e.seq())), 10);

  @Test
  void aCommitRightAfterWhatWasHandedOnGoesOnAtOnce() {
    assertThat(order.committedHere(10, 12, events(11, 12))).isFalse();
    assertThat(order.committedHere(12, 13, events(13))).isFalse();

    assertThat(ordered).containsExactly(11L, 12L, 13L);
    assertThat(order.delivered()).isEqualTo(13);
  }

  @Test
  void aCommitAfterAnotherNodesWaitsForItInTheLog() {
    assertThat(order.committedHere(12, 13, events(13))).as("seqs 11..12 committed elsewhere first").isTrue();
    assertThat(ordered).isEmpty();

    order.read(List.of(entry(10, 12, "there", 11, 12), entry(12, 13, "here", 13)));

    assertThat(ordered).containsExactly(11L, 12L, 13L);
    assertThat(others).as("only the other node's commits go to the caches").containsExactly(11L, 12L);
    assertThat(order.waiting()).isFalse();
  }

  @Test
  void theLogReaderMayHandOnThisNodesCommitBeforeTheWriterReportsIt() {
    order.read(List.of(entry(10, 11, "here", 11), entry(11, 12, "there", 12)));
    assertThat(order.committedHere(10, 11, events(11))).isFalse();

    assertThat(ordered).as("once each").containsExactly(11L, 12L);
  }

  @Test
  void rowsAlreadyHandedOnAreSkipped() {
    order.read(List.of(entry(10, 12, "there", 11, 12)));
    order.read(List.of(entry(10, 12, "there", 11, 12), entry(12, 14, "there", 14)));

    assertThat(ordered).containsExactly(11L, 12L, 14L);
    assertThat(order.remoteBatches()).isEqualTo(2);
  }

  @Test
  void aTransactionWithoutSeqsOrEventsHasNothingToOrder() {
    assertThat(order.committedHere(10, 10, List.of())).isFalse();
    assertThat(order.committedHere(10, 11, List.of())).as("seqs but no events still move the order on").isFalse();
    assertThat(order.committedHere(11, 12, events(12))).isFalse();

    assertThat(ordered).containsExactly(12L);
  }

  @Test
  void heldCommitsGoOnInTheirOrder() {
    assertThat(order.committedHere(11, 12, events(12))).isTrue();
    assertThat(order.committedHere(12, 13, events(13))).as("behind the held one").isTrue();

    order.read(List.of(entry(10, 11, "there", 11)));

    assertThat(ordered).as("their floors are reached, so their rows need not be read").containsExactly(11L, 12L, 13L);
  }

  @Test
  void rowsPurgedBeforeThisNodeReadThemEndItsLiveStreams() {
    List<Committed.Kind> kinds = new ArrayList<>();
    CommitOrder late = new CommitOrder("here", batch -> { }, batch -> batch.forEach(e -> kinds.add(e.kind())), 10);

    late.read(List.of(entry(15, 16, "there", 16)));

    assertThat(kinds).containsExactly(Committed.Kind.LIVE_GAP, Committed.Kind.DIRECTORY_CHANGED);
    assertThat(late.delivered()).isEqualTo(16);
  }

  @Test
  void anUnreadableRowEndsLiveStreamsAndTheOrderGoesOn() {
    List<Committed.Kind> kinds = new ArrayList<>();
    CommitOrder reader = new CommitOrder("here", batch -> { }, batch -> batch.forEach(e -> kinds.add(e.kind())), 10);

    reader.read(List.of(new CommitOrder.Entry(10, 11, "there", "not json"), entry(11, 12, "there", 12)));

    assertThat(kinds).containsExactly(Committed.Kind.LIVE_GAP, Committed.Kind.DIRECTORY_CHANGED);
    assertThat(reader.delivered()).isEqualTo(12);
  }

  private static List<Committed> events(long... seqs) {
    List<Committed> events = new ArrayList<>();
    for (long seq : seqs) {
      events.add(new Committed(Committed.Kind.DIRECTORY_CHANGED, "c", seq, null));
    }
    return events;
  }

  private static CommitOrder.Entry entry(long floor, long last, String node, long... seqs) {
    return new CommitOrder.Entry(floor, last, node, CommitLogCodec.encode(events(seqs)));
  }
}
