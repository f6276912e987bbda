package dev.backchannel.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final Instant AT = Instant.parse("2026-04-06T14:00:00Z");

  @Test
  void formatOmitsAZeroFractionAndAlwaysEndsInPlusZero() {
    assertThat(Timestamps.format(AT)).isEqualTo("2026-04-06T14:00:00+00:00");
  }

  @Test
  void formatWritesExactlySixFractionDigits() {
    assertThat(Timestamps.format(AT.plusNanos(123_000))).isEqualTo("2026-04-06T14:00:00.000123+00:00");
    assertThat(Timestamps.format(AT.plusMillis(120))).isEqualTo("2026-04-06T14:00:00.120000+00:00");
  }

  @Test
  void formatDropsNanosecondsBelowAMicrosecond() {
    assertThat(Timestamps.format(AT.plusNanos(999))).isEqualTo("2026-04-06T14:00:00+00:00");
  }

  @Test
  void formattedTimesSortAsStringsInTimeOrder() {
    String whole = Timestamps.format(AT);
    String later = Timestamps.format(AT.plusNanos(1_000));
    assertThat(whole.compareTo(later)).isNegative();
  }

  @Test
  void formatThenParseIsTheIdentityAtMicrosecondPrecision() {
    Instant t = AT.plusNanos(654_321_000);
    assertThat(Timestamps.parse(Timestamps.format(t))).contains(t);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2026-04-06T14:00:00+00:00            | 2026-04-06T14:00:00Z",
      "2026-04-06T14:00:00.123456+00:00     | 2026-04-06T14:00:00.123456Z",
      "2026-04-06T14:00:00Z                 | 2026-04-06T14:00:00Z",
      "2026-04-06T15:00:00+01:00            | 2026-04-06T14:00:00Z",
      "2026-04-06T15:00:00+0100             | 2026-04-06T14:00:00Z",
      "2026-04-06T09:30:00-04:30            | 2026-04-06T14:00:00Z",
      "2026-04-06T14:00:00                  | 2026-04-06T14:00:00Z",
      "2026-04-06 14:00:00                  | 2026-04-06T14:00:00Z",
      "2026-04-06                           | 2026-04-06T00:00:00Z",
      "20260406                             | 2026-04-06T00:00:00Z",
      "20260406T140000Z                     | 2026-04-06T14:00:00Z",
      "20260406T140000.5+0000               | 2026-04-06T14:00:00.5Z",
      "2026-04-06T14                        | 2026-04-06T14:00:00Z",
      "2026-04-06T14:05                     | 2026-04-06T14:05:00Z",
      "2026-04-06T14:00:00.1                | 2026-04-06T14:00:00.1Z",
      "2026-04-06T14:00:00.123456789+00:00  | 2026-04-06T14:00:00.123456Z",
      "2026-04-06T14:00:00,25Z              | 2026-04-06T14:00:00.25Z",
      "2026-W15-1                           | 2026-04-06T00:00:00Z",
      "2026W151                             | 2026-04-06T00:00:00Z",
      "2026-W15                             | 2026-04-06T00:00:00Z",
      "2026-W15-1T14:00:00+00:00            | 2026-04-06T14:00:00Z",
      "2026-04-06T14:00:00.000001 00:00     | 2026-04-06T14:00:00.000001Z",
      "2026-04-06 15:00:00 01:00            | 2026-04-06T14:00:00Z",
  })
  void parseAcceptsEveryIsoFormPythonAccepts(String text, String expected) {
    assertThat(Timestamps.parse(text)).contains(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "garbage", "2026-13-01", "2026-02-30", "2026-04-06T25:00:00", "2026-04-06T14:00:00+2",
      "2026-04-06T14:00:00 junk", "2026-W54-1", "2026-W15-8", "yesterday", "1712412000"})
  void parseRefusesWhatIsNotATimestamp(String text) {
    assertThat(Timestamps.parse(text)).isEmpty();
  }

  @Test
  void parseOfNullIsEmpty() {
    assertThat(Timestamps.parse(null)).isEmpty();
  }

  @Test
  void microsRoundTrip() {
    Instant t = AT.plusNanos(42_000);
    assertThat(Timestamps.instant(Timestamps.micros(t))).isEqualTo(t);
    assertThat(Timestamps.instant(-1)).isEqualTo(Instant.EPOCH.minusNanos(1_000));
  }
}
