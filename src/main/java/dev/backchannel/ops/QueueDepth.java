package dev.backchannel.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The backlog of one claimable channel: live messages nobody has claimed, claimed ones not yet
 * acknowledged, and when the oldest unclaimed one was posted (null when none is waiting).
 */
public record QueueDepth(String channel, long unclaimed, long inFlight, Instant oldestUnclaimed) {
  /** The label that stands for every channel beyond the ones given their own series. */
  public static final String OTHER = "_other";

  private static final Comparator<QueueDepth> DEEPEST_FIRST = Comparator
      .comparingLong(QueueDepth::unclaimed).reversed()
      .thenComparing(Comparator.comparingLong(QueueDepth::inFlight).reversed())
      .thenComparing(QueueDepth::channel);

  /**
   * The deepest {@code series} channels as they are, the rest summed into one {@link #OTHER}
   * entry (absent when nothing is left over), so metric cardinality stays bounded.
   */
  public static List<QueueDepth> topWithOther(List<QueueDepth> depths, int series) {
    List<QueueDepth> sorted = new ArrayList<>(depths);
    sorted.sort(DEEPEST_FIRST);
    int kept = Math.min(series, sorted.size());
    List<QueueDepth> out = new ArrayList<>(sorted.subList(0, kept));
    List<QueueDepth> rest = sorted.subList(kept, sorted.size());
    if (!rest.isEmpty()) {
      out.add(sum(rest));
    }
    return out;
  }

  private static QueueDepth sum(List<QueueDepth> rest) {
    long unclaimed = 0;
    long inFlight = 0;
    Instant oldest = null;
    for (QueueDepth depth : rest) {
      unclaimed += depth.unclaimed();
      inFlight += depth.inFlight();
      if (depth.oldestUnclaimed() != null && (oldest == null || depth.oldestUnclaimed().isBefore(oldest))) {
        oldest = depth.oldestUnclaimed();
      }
    }
    return new QueueDepth(OTHER, unclaimed, inFlight, oldest);
  }
}
