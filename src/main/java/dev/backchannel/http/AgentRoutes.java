package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.AgentService;
import dev.backchannel.config.Config;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.key.Caller;
import dev.backchannel.message.Cursor;
import dev.backchannel.ops.Metrics;
import dev.backchannel.stream.Hub;
import dev.backchannel.stream.HubEvent;
import dev.backchannel.stream.LongPoll;
import dev.backchannel.stream.MentionStream;
import dev.backchannel.stream.ResumableStream;
import dev.backchannel.stream.SseSink;
import dev.backchannel.stream.StreamLimits;
import dev.backchannel.stream.Subscriber;
import dev.backchannel.stream.WakeFeed;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Subscriptions, mentions, read positions and the wake feed (extensions §5). */
final class AgentRoutes implements RouteGroup {
  private static final int PAGE = 50;
  private static final int MAX_PAGE = 100;
  private static final int MAX_ACK_IDS = 100;
  private static final Duration LEASE_WARNING = Duration.ofSeconds(30);

  private final AgentService agents;
  private final Hub hub;
  private final LongPoll longPoll;
  private final StreamLimits limits;
  private final WireFrames frames;
  private final Config config;
  private final Metrics metrics;
  private final Clock clock;

  AgentRoutes(AgentService agents, Hub hub, LongPoll longPoll, StreamLimits limits, WireFrames frames, Config config,
      Metrics metrics, Clock clock) {
    this.agents = agents;
    this.hub = hub;
    this.longPoll = longPoll;
    this.limits = limits;
    this.frames = frames;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/channels/{channel}/subscribe", this::subscribe);
    api.keyed(POST, "/v1/channels/{channel}/unsubscribe", this::unsubscribe);
    api.keyed(GET, "/v1/channels/{channel}/subscribers", this::subscribers);
    api.keyed(POST, "/v1/channels/{channel}/read", this::markRead);
    api.keyed(GET, "/v1/channels/{channel}/readers", this::readers);
    for (String prefix : Api.AGENT_PREFIXES) {
      api.keyed(GET, prefix + "/v1/mentions", this::mentions);
      api.keyed(POST, prefix + "/v1/mentions/ack", this::ackMentions);
      api.keyed(POST, prefix + "/v1/mentions/acknowledge", this::ackMentions);
      api.streaming(GET, prefix + "/v1/agents/me/events", this::events);
      api.streaming(GET, prefix + "/v1/mentions/stream", this::streamMentions);
      api.keyed(GET, prefix + "/v1/agents/me/heartbeat", this::heartbeat);
    }
  }

  private void subscribe(RoutingContext ctx) {
    String actor = MessageRequests.actor(Requests.body(ctx));
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.write(ctx, tx -> agents.subscribe(tx, caller, channel, actor), 200, Wire::subscription);
  }

  private void unsubscribe(RoutingContext ctx) {
    String actor = MessageRequests.actor(Requests.body(ctx));
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.write(ctx, tx -> agents.unsubscribe(tx, caller, channel, actor), 200, removed -> {
      ObjectNode out = Wire.object();
      out.put("unsubscribed", removed);
      return out;
    });
  }

  private void subscribers(RoutingContext ctx) {
    Api.respond(ctx, agents.subscribers(Requests.caller(ctx), channel(ctx)), 200,
        list -> data(Wire.array(list, Wire::subscription)));
  }

  private void markRead(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String actor = MessageRequests.actor(body);
    String upTo = body.optionalString("up_to");
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.write(ctx, tx -> agents.markRead(tx, caller, channel, actor, upTo), 200, Wire::reader);
  }

  private void readers(RoutingContext ctx) {
    Api.respond(ctx, agents.readers(Requests.caller(ctx), channel(ctx)), 200,
        list -> data(Wire.array(list, Wire::reader)));
  }

  private void mentions(RoutingContext ctx) {
    int limit = Query.limit(Query.param(ctx, "limit"), PAGE, MAX_PAGE);
    long after = seqCursor(Query.param(ctx, "since"));
    Api.respond(ctx, agents.mentions(Requests.caller(ctx), after, limit), 200, events -> feedPage(events, limit, after));
  }

  private void ackMentions(RoutingContext ctx) {
    List<String> ids = Requests.body(ctx).optionalStrings("mention_ids", ApiError.INVALID_FIELD);
    if (ids.isEmpty()) {
      throw Body.missing("mention_ids");
    }
    if (ids.size() > MAX_ACK_IDS) {
      throw ApiError.INVALID_FIELD.exception("At most " + MAX_ACK_IDS + " mention_ids per request");
    }
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> agents.ackMentions(tx, caller, ids), 200, count -> {
      ObjectNode out = Wire.object();
      out.put("acknowledged", count);
      return out;
    });
  }

  /** SSE when the client accepts {@code text/event-stream}, else a JSON page that can long-poll. */
  private void events(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("text/event-stream")) {
      streamEvents(ctx);
      return;
    }
    Caller caller = Requests.caller(ctx);
    int limit = Query.limit(Query.param(ctx, "limit"), PAGE, MAX_PAGE);
    long after = seqCursor(Query.param(ctx, "since"));
    Double seconds = Query.seconds(Query.param(ctx, "wait"));
    Duration wait = seconds == null ? Duration.ZERO : Duration.ofMillis((long) (seconds * 1000));
    Future<List<AgentEvent>> page = agents.feedFilter(caller).compose(filter -> longPoll.poll(
        wake -> hub.subscribeAll(new WakeOnce(filter, wake)),
        wait, () -> agents.feed(caller, after, limit), cancel -> ctx.addEndHandler(v -> cancel.run())));
    Api.respond(ctx, page, 200, events -> feedPage(events, limit, after));
  }

  private void streamEvents(RoutingContext ctx) {
    openStream(ctx, (caller, after, heartbeat, sink, onClose) -> new WakeFeed(hub, sink, caller, after, agents,
        frames, heartbeat, LEASE_WARNING, clock, metrics, onClose));
  }

  /** {@code GET /v1/mentions/stream}: mentions only, with {@code event: heartbeat} frames. */
  private void streamMentions(RoutingContext ctx) {
    openStream(ctx, (caller, after, heartbeat, sink, onClose) -> new MentionStream(hub, sink, caller, after, agents,
        frames, heartbeat, metrics, onClose));
  }

  /** Builds one of the caller's agent streams, resuming after a seq (Last-Event-ID wins over ?since=). */
  private interface AgentStream {
    ResumableStream<?> open(Caller caller, Long after, Duration heartbeat, SseSink sink, Runnable onClose);
  }

  private void openStream(RoutingContext ctx, AgentStream kind) {
    Caller caller = Requests.caller(ctx);
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    String resume = lastEventId != null && !lastEventId.isBlank() ? lastEventId : Query.param(ctx, "since");
    Long after = resume == null ? null : seqCursor(resume);
    Duration heartbeat = StreamRequests.heartbeat(Query.param(ctx, "heartbeat"), config);
    try {
      limits.acquire(caller.keyId());
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    HttpServerResponse response = StreamRoutes.startEventStream(ctx, config);
    ResumableStream<?> stream = kind.open(caller, after, heartbeat, new ResponseSink(response),
        () -> limits.release(caller.keyId()));
    // Not response.closeHandler: Vert.x Web's end handlers (metrics, access log) hang off it.
    ctx.addEndHandler(v -> stream.closed());
    stream.start();
  }

  private void heartbeat(RoutingContext ctx) {
    Api.respond(ctx, agents.summary(Requests.caller(ctx)), 200, summary -> {
      ObjectNode out = Wire.object();
      out.put("needs_action", summary.needsAction());
      out.put("unread", summary.unread());
      out.put("mentions", summary.mentions());
      out.put("claimable", summary.claimable());
      return out;
    });
  }

  /** Feed cursors are sequence numbers; 0 or absent is the start. */
  static long seqCursor(String raw) {
    Cursor cursor = Cursor.parse(raw);
    if (cursor instanceof Cursor.AfterSeq after) {
      return after.seq();
    }
    if (cursor == Cursor.START) {
      return 0;
    }
    throw ApiError.INVALID_CURSOR.exception("This cursor is a sequence number (the seq of the last item)");
  }

  private ObjectNode feedPage(List<AgentEvent> events, int limit, long after) {
    String next = Long.toString(events.isEmpty() ? after : events.get(events.size() - 1).seq());
    return Wire.page(Wire.array(events, e -> Wire.agentEvent(e, clock.instant())), limit, next);
  }

  private static String channel(RoutingContext ctx) {
    return Requests.path(ctx, "channel");
  }

  private static ObjectNode data(com.fasterxml.jackson.databind.node.ArrayNode items) {
    ObjectNode out = Wire.object();
    out.set("data", items);
    return out;
  }

  /** Wakes a long-polling feed request on the first change that belongs in its feed. */
  private static final class WakeOnce implements Subscriber {
    private final dev.backchannel.agent.FeedFilter filter;
    private final Runnable wake;
    private boolean fired;

    WakeOnce(dev.backchannel.agent.FeedFilter filter, Runnable wake) {
      this.filter = filter;
      this.wake = wake;
    }

    @Override
    public void onEvent(HubEvent event) {
      if (!fired && filter.eventFor(event.change()) != null) {
        fired = true;
        wake.run();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void tick(long nanoTime) {}

    @Override
    public void shutdown() {}
  }
}
