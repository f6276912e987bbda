package dev.backchannel.message;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.time.Timestamps;
import java.time.Instant;

/**
 * A position in a channel's message stream. Accepted in both forms (extensions §1): an integer
 * is a {@code seq}, an ISO-8601 string a {@code created_at}; {@code 0} or empty is the start.
 */
public sealed interface Cursor {
  Cursor START = new Start();

  /** Whether a message with this sequence number and timestamp lies after the cursor. */
  boolean precedes(long seq, Instant createdAt);

  static Cursor parse(String raw) {
    if (raw == null) {
      return START;
    }
    String text = raw.trim();
    if (text.isEmpty() || text.equals("0")) {
      return START;
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return new AfterSeq(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw invalid(raw);
      }
    }
    return Timestamps.parse(text).<Cursor>map(AfterTime::new).orElseThrow(() -> invalid(raw));
  }

  private static ApiException invalid(String raw) {
    return ApiError.INVALID_CURSOR.exception(
        "Cursor '" + abbreviate(raw) + "' is neither 0, a sequence number nor an ISO-8601 timestamp");
  }

  private static String abbreviate(String raw) {
    return raw.length() <= 64 ? raw : raw.substring(0, 64) + "…";
  }

  /** From the beginning of what is stored. */
  record Start() implements Cursor {
    @Override
    public boolean precedes(long seq, Instant createdAt) {
      return true;
    }
  }

  /** Strictly after the message with this sequence number. */
  record AfterSeq(long seq) implements Cursor {
    @Override
    public boolean precedes(long messageSeq, Instant createdAt) {
      return messageSeq > seq;
    }
  }

  /** Strictly after this {@code created_at}. */
  record AfterTime(Instant at) implements Cursor {
    @Override
    public boolean precedes(long seq, Instant createdAt) {
      return createdAt.isAfter(at);
    }
  }
}
