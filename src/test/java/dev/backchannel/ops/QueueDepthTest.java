package dev.backchannel.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueDepthTest {
  static final Instant T = Instant.parse("2026-04-06T14:00:00Z");

  @Test
  void theDeepestChannelsKeepTheirSeriesAndTheRestAreSummedIntoOther() {
    List<QueueDepth> depths = List.of(
        new QueueDepth("a", 1, 0, T.plusSeconds(30)),
        new QueueDepth("b", 9, 2, T.plusSeconds(10)),
        new QueueDepth("c", 0, 5, null),
        new QueueDepth("d", 4, 1, T));

    List<QueueDepth> shown = QueueDepth.topWithOther(depths, 2);

    assertThat(shown).extracting(QueueDepth::channel).containsExactly("b", "d", QueueDepth.OTHER);
    assertThat(shown.get(2)).isEqualTo(new QueueDepth(QueueDepth.OTHER, 1, 5, T.plusSeconds(30)));
  }

  @Test
  void noOtherSeriesWhenEveryChannelFitsAndAllOfThemWhenNoneMay() {
    List<QueueDepth> depths = List.of(new QueueDepth("a", 1, 0, T), new QueueDepth("b", 1, 3, T));

    assertThat(QueueDepth.topWithOther(depths, 20)).extracting(QueueDepth::channel).containsExactly("b", "a");
    assertThat(QueueDepth.topWithOther(depths, 0)).containsExactly(new QueueDepth(QueueDepth.OTHER, 2, 3, T));
    assertThat(QueueDepth.topWithOther(List.of(), 5)).isEmpty();
  }
}
