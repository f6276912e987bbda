package dev.backchannel.http;

import dev.backchannel.error.ApiError;
import dev.backchannel.time.Timestamps;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** Typed query parameters with the contract's rules for limits, waits and timestamps. */
public final class Query {
  private Query() {}

  public static String param(RoutingContext ctx, String name) {
    return ctx.queryParams().get(name);
  }

  /** {@code limit} in [1, 100] (contract §5.2); out of range or not an integer → 422 invalid_limit. */
  public static int limit(String raw, int fallback, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < 1 || value > max) {
        throw ApiError.INVALID_LIMIT.exception("limit must be an integer between 1 and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiError.INVALID_LIMIT.exception("limit must be an integer between 1 and " + max);
    }
  }

  /** {@code limit} clamped into [1, max] rather than refused (discovery, audit); garbage → fallback or 422. */
  public static int clampedLimit(String raw, int fallback, int max, boolean garbageIsError) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.trim());
      return (int) Math.max(1, Math.min(max, value));
    } catch (NumberFormatException e) {
      if (garbageIsError) {
        throw ApiError.INVALID_LIMIT.exception("limit must be an integer");
      }
      return fallback;
    }
  }

  /** Seconds as an integer or decimal ({@code 8}, {@code 1.5}); contract §11.3. */
  public static Double seconds(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw ApiError.INVALID_WAIT.exception();
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiError.INVALID_WAIT.exception();
    }
  }

  /** A timestamp cursor for listings ordered by time; "0" or empty → null (no bound). */
  public static Instant timestampCursor(String raw) {
    if (raw == null || raw.isBlank() || raw.trim().equals("0")) {
      return null;
    }
    return Timestamps.parse(raw).orElseThrow(() -> ApiError.INVALID_CURSOR.exception(
        "cursor must be 0 or an ISO-8601 timestamp"));
  }

  /** An optional timestamp filter; unparseable values are ignored, as upstream clients expect. */
  public static Instant optionalTimestamp(String raw) {
    return raw == null ? null : Timestamps.parse(raw).orElse(null);
  }
}
