package dev.backchannel.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"jobs", "Ops Alerts", "<b>html</b> & \"quotes\"", "日本語のチャンネル", "emoji \uD83D\uDE80",
      "a", "tab-free name with spaces"})
  void ordinaryTextIsAccepted(String name) {
    assertThat(ChannelNames.validate(name)).isEqualTo(name);
  }

  @Test
  void twoHundredCodePointsAreAcceptedAndOneMoreIsNot() {
    String emoji = "\uD83D\uDE00";
    assertThat(ChannelNames.validate(emoji.repeat(200))).hasSize(400);
    assertThat(ChannelNames.validate("x".repeat(200))).hasSize(200);
    expectInvalid("x".repeat(201));
    expectInvalid(emoji.repeat(201));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x09, 0x0A, 0x1B, 0x1F, 0x7F, 0xAD, 0x61C, 0x200B, 0x200D, 0x200F, 0x202A, 0x202E,
      0x2060, 0x2064, 0x2066, 0x2069, 0xFEFF})
  void controlInvisibleAndBidiCharactersAreRefused(int codePoint) {
    expectInvalid("bad" + new String(Character.toChars(codePoint)) + "name");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x20, 0x7E, 0x80, 0xA0, 0xAE, 0x61B, 0x61D, 0x200A, 0x2010, 0x2029, 0x202F, 0x2065, 0x206A,
      0xFEFE, 0xFF01})
  void neighboursOfTheForbiddenRangesAreFine(int codePoint) {
    String name = "ok" + new String(Character.toChars(codePoint)) + "name";
    assertThat(ChannelNames.validate(name)).isEqualTo(name);
  }

  private static void expectInvalid(String name) {
    assertThatThrownBy(() -> ChannelNames.validate(name)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.error()).isEqualTo(ApiError.INVALID_CHANNEL_NAME));
  }
}
