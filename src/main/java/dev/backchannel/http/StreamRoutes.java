package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.config.Config;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.key.Caller;
import dev.backchannel.key.KeyService;
import dev.backchannel.key.StreamTokens;
import dev.backchannel.ops.Metrics;
import dev.backchannel.stream.Backlog;
import dev.backchannel.stream.Hub;
import dev.backchannel.stream.SseConnection;
import dev.backchannel.stream.StreamLimits;
import dev.backchannel.stream.StreamSpec;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Server-sent event streams of one or several channels, and browser stream tokens (extensions §2). */
final class StreamRoutes implements RouteGroup {
  static final int MAX_CHANNELS = 50;

  private final Hub hub;
  private final ChannelService channels;
  private final KeyService keys;
  private final Backlog backlog;
  private final StreamLimits limits;
  private final WireFrames frames;
  private final Config config;
  private final Metrics metrics;
  private final Clock clock;

  StreamRoutes(Hub hub, ChannelService channels, KeyService keys, Backlog backlog, StreamLimits limits,
      WireFrames frames, Config config, Metrics metrics, Clock clock) {
    this.hub = hub;
    this.channels = channels;
    this.keys = keys;
    this.backlog = backlog;
    this.limits = limits;
    this.frames = frames;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.streaming(GET, "/v1/channels/{channel}/stream", this::channelStream);
    api.streaming(GET, "/v1/stream", this::multiStream);
    api.keyed(POST, "/v1/keys/me/stream-tokens", this::mintToken);
  }

  private void channelStream(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    StreamSpec spec = spec(ctx, Set.of());
    readable(ctx, caller, List.of(Requests.path(ctx, "channel")))
        .onSuccess(ids -> open(ctx, caller, new StreamSpec(ids, spec.resumeFrom(), spec.kinds(), spec.metadataEquals(),
            spec.heartbeat())))
        .onFailure(ctx::fail);
  }

  private void multiStream(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    List<String> identifiers = identifiers(Query.param(ctx, "channels"));
    StreamSpec spec = spec(ctx, Set.of());
    readable(ctx, caller, identifiers)
        .onSuccess(ids -> open(ctx, caller, new StreamSpec(ids, spec.resumeFrom(), spec.kinds(), spec.metadataEquals(),
            spec.heartbeat())))
        .onFailure(ctx::fail);
  }

  private StreamSpec spec(RoutingContext ctx, Set<String> ids) {
    return StreamRequests.spec(ctx, ids, config);
  }

  static List<String> identifiers(String raw) {
    if (raw == null || raw.isBlank()) {
      throw Body.missing("channels");
    }
    List<String> identifiers = new ArrayList<>();
    for (String part : raw.split(",")) {
      if (!part.isBlank()) {
        identifiers.add(part.trim());
      }
    }
    if (identifiers.isEmpty() || identifiers.size() > MAX_CHANNELS) {
      throw ApiError.INVALID_FIELD.exception("channels must name 1 to " + MAX_CHANNELS + " channels");
    }
    return identifiers;
  }

  /** Resolves every channel with the caller's access rules and the token's grant, before the stream opens. */
  private Future<Set<String>> readable(RoutingContext ctx, Caller caller, List<String> identifiers) {
    StreamTokens.Grant grant = Requests.streamGrant(ctx);
    List<Future<Channel>> resolved = new ArrayList<>();
    identifiers.forEach(identifier -> resolved.add(channels.resolve(caller, identifier)));
    return Future.all(resolved).map(all -> {
      Set<String> ids = new LinkedHashSet<>();
      for (Future<Channel> channel : resolved) {
        if (grant != null && !grant.covers(channel.result().id())) {
          throw ApiError.CHANNEL_ACCESS_DENIED.exception("This stream token does not cover channel '"
              + channel.result().name() + "'");
        }
        ids.add(channel.result().id());
      }
      return ids;
    });
  }

  private void open(RoutingContext ctx, Caller caller, StreamSpec spec) {
    try {
      limits.acquire(caller.keyId());
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    HttpServerResponse response = startEventStream(ctx, config);
    SseConnection connection = new SseConnection(hub, new ResponseSink(response), spec, caller.keyId(), backlog,
        frames, metrics, () -> limits.release(caller.keyId()));
    // Not response.closeHandler: Vert.x Web's end handlers (metrics, access log) hang off it.
    ctx.addEndHandler(v -> connection.closed());
    connection.start();
  }

  /** Turns the response into an event stream: status, headers, a bounded write queue. */
  static HttpServerResponse startEventStream(RoutingContext ctx, Config config) {
    HttpServerResponse response = ctx.response()
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(config.streamWriteQueueBytes());
    StreamIdleTimeout.suspend(ctx);
    return response;
  }

  /** {@code {channels?, ttl_seconds?}}: a read-only token for EventSource URLs, at most 10 minutes. */
  private void mintToken(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    Body body = Requests.body(ctx);
    Integer ttl = body.optionalInt("ttl_seconds", 1, (int) StreamTokens.MAX_TTL.toSeconds(), ApiError.INVALID_TTL);
    List<String> identifiers = body.optionalStrings("channels", ApiError.INVALID_FIELD);
    Instant expiresAt = clock.instant().plusSeconds(ttl == null ? 300 : ttl);
    Future<Set<String>> ids = identifiers.isEmpty() ? Future.succeededFuture(null)
        : readable(ctx, caller, identifiers);
    Api.respond(ctx, ids, 201, granted -> {
      List<String> channelIds = granted == null ? null : List.copyOf(granted);
      ObjectNode out = Wire.object();
      out.put("token", keys.mintStreamToken(caller, channelIds, expiresAt));
      out.put("expires_at", Wire.time(expiresAt));
      out.set("channels", channelIds == null ? null : Wire.strings(channelIds));
      return out;
    });
  }
}
