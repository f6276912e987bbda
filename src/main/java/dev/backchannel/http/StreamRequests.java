package dev.backchannel.http;

import dev.backchannel.config.Config;
import dev.backchannel.error.ApiError;
import dev.backchannel.message.Cursor;
import dev.backchannel.store.Committed;
import dev.backchannel.stream.StreamSpec;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parses a stream request: resume point, event kinds, heartbeat, metadata filters (extensions §2). */
final class StreamRequests {
  private static final String FILTER_PREFIX = "metadata.";

  private StreamRequests() {}

  static StreamSpec spec(RoutingContext ctx, Set<String> channelIds, Config config) {
    return new StreamSpec(channelIds, resumeFrom(ctx), kinds(Query.param(ctx, "events")), filters(ctx),
        heartbeat(Query.param(ctx, "heartbeat"), config));
  }

  /** {@code Last-Event-ID} wins over {@code ?since=}; neither means "new messages only". */
  static Cursor resumeFrom(RoutingContext ctx) {
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    String raw = lastEventId != null && !lastEventId.isBlank() ? lastEventId : Query.param(ctx, "since");
    return raw == null ? null : Cursor.parse(raw);
  }

  static Set<Committed.Kind> kinds(String raw) {
    Set<Committed.Kind> kinds = EnumSet.noneOf(Committed.Kind.class);
    if (raw == null || raw.isBlank()) {
      kinds.add(Committed.Kind.MESSAGE_POSTED);
      return kinds;
    }
    for (String name : raw.split(",")) {
      kinds.add(kind(name.trim()));
    }
    return kinds;
  }

  private static Committed.Kind kind(String name) {
    for (Committed.Kind kind : Committed.Kind.values()) {
      if (name.equals(WireFrames.eventName(kind))) {
        return kind;
      }
    }
    throw ApiError.INVALID_EVENTS.exception("Unknown event '" + name
        + "'; choose from message, claimed, released, acked, expired, retracted, edited");
  }

  /**
   * The stream's heartbeat interval: {@code ?heartbeat=} (5…120 s) or the configured default, but
   * never so long that the connection's idle timeout would cut the stream between two heartbeats.
   */
  static Duration heartbeat(String raw, Config config) {
    Duration ceiling = config.heartbeatCeiling();
    if (raw == null || raw.isBlank()) {
      return min(Duration.ofMillis(config.streamHeartbeatMillis()), ceiling);
    }
    try {
      int seconds = Integer.parseInt(raw.trim());
      if (seconds >= 5 && seconds <= 120) {
        return min(Duration.ofSeconds(seconds), ceiling);
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiError.INVALID_HEARTBEAT.exception();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static Map<String, String> filters(RoutingContext ctx) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : ctx.queryParams()) {
      if (param.getKey().startsWith(FILTER_PREFIX) && param.getKey().length() > FILTER_PREFIX.length()) {
        filters.put(param.getKey().substring(FILTER_PREFIX.length()), param.getValue());
      }
    }
    return filters;
  }
}
