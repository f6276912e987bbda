package dev.backchannel.channel;

import dev.backchannel.error.ApiError;

/** Contract §4.2: channel names are free text without control, invisible or bidi characters. */
public final class ChannelNames {
  static final int MAX_CODE_POINTS = 200;

  private ChannelNames() {}

  /** Throws {@code invalid_channel_name} unless the (already trimmed) name is acceptable. */
  public static String validate(String name) {
    if (isTooLong(name)) {
      throw ApiError.INVALID_CHANNEL_NAME.exception("Channel name must be at most " + MAX_CODE_POINTS + " characters");
    }
    if (hasForbidden(name)) {
      throw ApiError.INVALID_CHANNEL_NAME.exception(
          "Channel name must not contain control, invisible or bidirectional-override characters");
    }
    return name;
  }

  /**
   * Aliases (of channels and actors) appear in URL paths and other callers' screens: the same
   * length and character rules as names, answered with the contract's {@code invalid_string}.
   */
  public static String validateAlias(String alias) {
    if (isTooLong(alias) || hasForbidden(alias)) {
      throw ApiError.INVALID_STRING.exception("alias must be at most " + MAX_CODE_POINTS
          + " characters, without control, invisible or bidirectional-override characters");
    }
    return alias;
  }

  private static boolean isTooLong(String text) {
    return text.codePointCount(0, text.length()) > MAX_CODE_POINTS;
  }

  private static boolean hasForbidden(String text) {
    return text.codePoints().anyMatch(ChannelNames::isForbidden);
  }

  static boolean isForbidden(int c) {
    return c <= 0x1F || c == 0x7F || c == 0xAD || c == 0x61C
        || (c >= 0x200B && c <= 0x200F)
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2060 && c <= 0x2064)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xFEFF;
  }
}
