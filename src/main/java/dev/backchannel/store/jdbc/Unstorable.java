package dev.backchannel.store.jdbc;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;

/** The answer to text a database cannot hold, whether it came to be written or looked up. */
final class Unstorable {
  private Unstorable() {}

  static ApiException refusal() {
    return ApiError.INVALID_STRING.exception("Text must not contain the NUL character (U+0000)");
  }
}
