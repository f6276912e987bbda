package dev.backchannel.bench;

/**
 * Latencies in microseconds in log-linear buckets, as HdrHistogram does: exact below 128 µs, then
 * 64 buckets per power of two, so any value is known within 1.6 % and the whole histogram is a
 * fixed 18 KB however many values it holds. Not thread-safe: one per event loop, merged at the end.
 */
public final class Histogram {
  private static final int SUB_BITS = 7;
  private static final int SUB = 1 << SUB_BITS;
  private static final int HALF = SUB / 2;
  /** Larger values (over 12 days) are recorded as this. */
  static final long HIGHEST = (1L << 40) - 1;
  private static final int BUCKETS = index(HIGHEST) + 1;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  public void record(long micros) {
    long value = Math.min(Math.max(micros, 0), HIGHEST);
    counts[index(value)]++;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** Records nanoseconds elapsed since {@code startNanos}. */
  public void recordSince(long startNanos) {
    record((System.nanoTime() - startNanos) / 1_000);
  }

  public void merge(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  public long count() {
    return count;
  }

  public long max() {
    return max;
  }

  public long min() {
    return count == 0 ? 0 : min;
  }

  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /** The value at or below which {@code percent} % of the recorded values lie (nearest rank), 0 when empty. */
  public long percentile(double percent) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
    if (rank >= count) {
      return max;
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, Math.max(min, middle(i)));
      }
    }
    return max;
  }

  public Summary summary() {
    return new Summary(count, percentile(50), percentile(90), percentile(99), max, mean());
  }

  /** p50/p90/p99/max and the mean, in microseconds. */
  public record Summary(long count, long p50, long p90, long p99, long max, double mean) {}

  static int index(long value) {
    if (value < SUB) {
      return (int) value;
    }
    int shift = 63 - Long.numberOfLeadingZeros(value) - (SUB_BITS - 1);
    return SUB + (shift - 1) * HALF + (int) ((value >>> shift) - HALF);
  }

  static long lowest(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = (index - SUB) / HALF + 1;
    return (long) ((index - SUB) % HALF + HALF) << shift;
  }

  static long highest(int index) {
    return index + 1 < BUCKETS ? lowest(index + 1) - 1 : HIGHEST;
  }

  private static long middle(int index) {
    return (lowest(index) + highest(index)) / 2;
  }
}
