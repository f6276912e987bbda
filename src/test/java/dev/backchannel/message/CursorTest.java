package dev.backchannel.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {
  private static final Instant AT = Instant.parse("2026-04-06T14:00:00Z");

  @Test
  void absentEmptyAndZeroMeanFromTheStart() {
    assertThat(Cursor.parse(null)).isEqualTo(Cursor.START);
    assertThat(Cursor.parse("")).isEqualTo(Cursor.START);
    assertThat(Cursor.parse("  ")).isEqualTo(Cursor.START);
    assertThat(Cursor.parse("0")).isEqualTo(Cursor.START);
    assertThat(Cursor.START.precedes(1, AT)).isTrue();
  }

  @Test
  void anIntegerIsASequenceNumber() {
    assertThat(Cursor.parse("42")).isEqualTo(new Cursor.AfterSeq(42));
    assertThat(Cursor.parse(" 7 ")).isEqualTo(new Cursor.AfterSeq(7));
  }

  @Test
  void aSequenceCursorIsStrict() {
    Cursor cursor = Cursor.parse("42");
    assertThat(cursor.precedes(42, AT)).isFalse();
    assertThat(cursor.precedes(43, AT)).isTrue();
  }

  @Test
  void anIsoTimestampIsACreatedAtCursorInAnyOffset() {
    assertThat(Cursor.parse("2026-04-06T14:00:00+00:00")).isEqualTo(new Cursor.AfterTime(AT));
    assertThat(Cursor.parse("2026-04-06T16:00:00+02:00")).isEqualTo(new Cursor.AfterTime(AT));
    assertThat(Cursor.parse("2026-04-06T14:00:00Z")).isEqualTo(new Cursor.AfterTime(AT));
  }

  @Test
  void aTimeCursorIsStrict() {
    Cursor cursor = Cursor.parse("2026-04-06T14:00:00.000001+00:00");
    assertThat(cursor.precedes(1, AT.plusNanos(1_000))).isFalse();
    assertThat(cursor.precedes(1, AT.plusNanos(2_000))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "-1", "1.5", "2026-13-45", "99999999999999999999999", "0x10", "now"})
  void garbageIsInvalidCursor(String raw) {
    assertThatThrownBy(() -> Cursor.parse(raw))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.INVALID_CURSOR));
  }

  @Test
  void aVeryLongGarbageCursorIsAbbreviatedInTheMessage() {
    String raw = "x".repeat(500);
    assertThatThrownBy(() -> Cursor.parse(raw)).hasMessageContaining("…").message().hasSizeLessThan(200);
  }
}
