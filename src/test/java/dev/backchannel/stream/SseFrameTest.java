package dev.backchannel.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseFrameTest {
  @Test
  void aFrameCarriesIdEventAndData() {
    assertThat(SseFrame.of(7, "message", "{\"a\":1}").toString())
        .isEqualTo("id: 7\nevent: message\ndata: {\"a\":1}\n\n");
  }

  @Test
  void lineBreaksInDataBecomeSeveralDataLines() {
    assertThat(SseFrame.of(1, "message", "two\nlines\r\nand\rmore").toString())
        .isEqualTo("id: 1\nevent: message\ndata: two\ndata: lines\ndata: and\ndata: more\n\n");
  }

  @Test
  void aFrameWithoutIdOmitsTheIdLine() {
    assertThat(SseFrame.of(0, "reset", "{}").toString()).isEqualTo("event: reset\ndata: {}\n\n");
  }
}
