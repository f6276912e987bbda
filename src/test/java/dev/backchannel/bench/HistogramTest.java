package dev.backchannel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void smallValuesAreExact() {
    Histogram histogram = new Histogram();
    for (long value = 1; value <= 100; value++) {
      histogram.record(value);
    }

    assertThat(histogram.percentile(50)).isEqualTo(50);
    assertThat(histogram.percentile(90)).isEqualTo(90);
    assertThat(histogram.percentile(99)).isEqualTo(99);
    assertThat(histogram.percentile(100)).isEqualTo(100);
    assertThat(histogram.min()).isEqualTo(1);
    assertThat(histogram.mean()).isEqualTo(50.5);
  }

  @Test
  void percentilesOfAWideDistributionAreWithinTheBucketError() {
    Random random = new Random(42);
    long[] values = new long[100_000];
    Histogram histogram = new Histogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextDouble() * 16);
      histogram.record(values[i]);
    }
    Arrays.sort(values);

    for (double percent : new double[] {1, 25, 50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(percent / 100 * values.length) - 1];
      assertThat((double) histogram.percentile(percent)).as("p%s", percent)
          .isCloseTo(exact, within(Math.max(1, exact * 0.016)));
    }
    assertThat(histogram.max()).isEqualTo(values[values.length - 1]);
    assertThat(histogram.count()).isEqualTo(values.length);
  }

  @Test
  void bucketsTileTheRangeWithoutGapsOrOverlaps() {
    for (int index = 0; Histogram.highest(index) < Histogram.HIGHEST; index++) {
      assertThat(Histogram.lowest(index + 1)).isEqualTo(Histogram.highest(index) + 1);
      assertThat(Histogram.index(Histogram.lowest(index))).isEqualTo(index);
      assertThat(Histogram.index(Histogram.highest(index))).isEqualTo(index);
      long width = Histogram.highest(index) - Histogram.lowest(index) + 1;
      assertThat((double) width / Math.max(128, Histogram.lowest(index))).isLessThanOrEqualTo(1.0 / 64);
    }
  }

  @Test
  void mergingEqualsRecordingEverythingInOne() {
    Histogram left = new Histogram();
    Histogram right = new Histogram();
    Histogram both = new Histogram();
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextInt(1_000_000);
      (i % 3 == 0 ? left : right).record(value);
      both.record(value);
    }

    left.merge(right);

    assertThat(left.summary()).isEqualTo(both.summary());
    assertThat(left.min()).isEqualTo(both.min());
  }

  @Test
  void anEmptyHistogramReportsZeros() {
    Histogram empty = new Histogram();
    empty.merge(new Histogram());

    assertThat(empty.summary()).isEqualTo(new Histogram.Summary(0, 0, 0, 0, 0, 0));
    assertThat(empty.min()).isZero();
  }

  @Test
  void outOfRangeValuesAreClamped() {
    Histogram histogram = new Histogram();
    histogram.record(-5);
    histogram.record(Long.MAX_VALUE);

    assertThat(histogram.min()).isZero();
    assertThat(histogram.max()).isEqualTo(Histogram.HIGHEST);
    assertThat(histogram.percentile(100)).isEqualTo(Histogram.HIGHEST);
  }

  @Test
  void ratesArePerMeasuredSecond() {
    Result result = new Result("publish", 4);
    result.operations = 5_000;
    result.seconds = 2.5;

    assertThat(result.rate()).isEqualTo(2_000);
    assertThat(new Result("idle", 1).rate()).isZero();
    assertThat(new LoadLoop.Outcome(new Histogram(), 300, 0, 0.5, new Tally(), 330).rate()).isEqualTo(600);
  }
}
