package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentService;
import dev.backchannel.channel.Channel;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.key.Scope;
import dev.backchannel.message.ArchivedMessage;
import dev.backchannel.message.ClaimFilter;
import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageQuery;
import dev.backchannel.message.MessageService;
import io.vertx.ext.web.RoutingContext;
import dev.backchannel.stream.LongPoll;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Posting and reading messages, the archive, retraction (contract §4.6–4.7). */
final class MessageRoutes implements RouteGroup {
  static final int PAGE = 50;
  static final int MAX_PAGE = 100;

  private final MessageService messages;
  private final AgentService agents;
  private final LongPoll longPoll;
  private final int maxContentBytes;
  private final Clock clock;

  MessageRoutes(MessageService messages, AgentService agents, LongPoll longPoll, int maxContentBytes, Clock clock) {
    this.messages = messages;
    this.agents = agents;
    this.longPoll = longPoll;
    this.maxContentBytes = maxContentBytes;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/channels/{channel}/messages", this::post);
    api.keyed(GET, "/v1/channels/{channel}/messages", this::list);
    api.keyed(GET, "/v1/channels/{channel}/history", this::history);
    api.keyed(PATCH, "/v1/messages/{message_id}", this::edit);
    api.keyed(DELETE, "/v1/messages/{message_id}", this::retract);
  }

  private void post(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    caller.require(Scope.MESSAGES_WRITE);
    var draft = MessageRequests.draft(Requests.body(ctx), maxContentBytes);
    String channel = Requests.path(ctx, "channel");
    Api.write(ctx, tx -> messages.postTo(tx, caller, channel, draft), 201, this::posted);
  }

  /** {@code {message, next_cursor}}: the cursor is the message's own {@code created_at} (contract §4.6). */
  ObjectNode posted(Message message) {
    ObjectNode out = Wire.object();
    out.set("message", MessageJson.of(message, clock.instant()));
    out.put("next_cursor", Wire.time(message.createdAt()));
    return out;
  }

  private void list(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    caller.require(Scope.MESSAGES_READ);
    String cursor = Query.param(ctx, "cursor");
    String since = Query.param(ctx, "since");
    if (cursor == null && since != null && !since.isEmpty()) {
      ctx.response().putHeader("Deprecation", "true").putHeader("Sunset", "2027-01-01");
    }
    Page page = Page.of(ctx, cursor != null ? cursor : since).unreadFor(Query.param(ctx, "unread_for"));
    if (markRead(ctx, page)) {
      String channel = Requests.path(ctx, "channel");
      MessageQuery query = new MessageQuery(null, page.after(), page.limit(), page.status(), page.expiringBefore(),
          0, clock.instant());
      Api.write(ctx, tx -> agents.readAndMark(tx, caller, channel, page.unreadFor(), query), 200,
          items -> page(items, page));
      return;
    }
    Api.respond(ctx, waitForPage(ctx, caller, Requests.path(ctx, "channel"), page,
        Query.seconds(Query.param(ctx, "wait"))), 200, items -> page(items, page));
  }

  /** {@code mark_read=true} (with {@code unread_for}): read and move the read position in one write; no long-poll. */
  private static boolean markRead(RoutingContext ctx, Page page) {
    String raw = Query.param(ctx, "mark_read");
    if (raw == null || raw.isEmpty() || raw.equals("false") || raw.equals("0")) {
      return false;
    }
    if (!raw.equals("true") && !raw.equals("1")) {
      throw ApiError.INVALID_FIELD.exception("mark_read must be true or false");
    }
    if (page.unreadFor() == null) {
      throw ApiError.MISSING_FIELD.exception("mark_read needs unread_for=<actor>");
    }
    return true;
  }

  /** The page, long-polling up to {@code wait} seconds while it is empty (contract §5.8). */
  Future<List<Message>> waitForPage(RoutingContext ctx, Caller caller, String identifier, Page page, Double seconds) {
    Duration waitFor = seconds == null ? Duration.ZERO : Duration.ofMillis((long) (seconds * 1000));
    return messages.readable(caller, identifier).compose(channel -> readPosition(caller, channel, page)
        .compose(position -> longPoll.poll(channel.id(), waitFor, () -> messages.list(channel.id(), page.after(),
            page.limit(), page.status(), page.expiringBefore(), position),
            cancel -> ctx.addEndHandler(v -> cancel.run()))));
  }

  /** {@code unread_for=<actor>} (extensions §5): only what that actor has not marked read. */
  private Future<Long> readPosition(Caller caller, Channel channel, Page page) {
    if (page.unreadFor() == null) {
      return Future.succeededFuture(0L);
    }
    return agents.unreadCursor(caller, channel, page.unreadFor()).map(Cursor.AfterSeq::seq);
  }

  /** The query of a message listing, validated in the contract's order: limit, status, cursor. */
  record Page(String rawCursor, Cursor after, int limit, ClaimFilter status, Instant expiringBefore,
      String unreadFor) {
    static Page of(RoutingContext ctx, String rawCursor) {
      return of(Query.param(ctx, "limit"), Query.param(ctx, "status"), rawCursor,
          Query.param(ctx, "expiring_before"));
    }

    static Page of(String limit, String status, String rawCursor, String expiringBefore) {
      int size = Query.limit(limit, PAGE, MAX_PAGE);
      ClaimFilter filter = status == null || status.isEmpty() ? null : ClaimFilter.parse(status)
          .orElseThrow(() -> ApiError.INVALID_STATUS.exception());
      return new Page(rawCursor, Cursor.parse(rawCursor), size, filter, Query.optionalTimestamp(expiringBefore), null);
    }

    Page unreadFor(String actor) {
      return actor == null || actor.isBlank() ? this
          : new Page(rawCursor, after, limit, status, expiringBefore, actor.strip());
    }
  }

  /** {@code next_cursor}: the last item's created_at, else the cursor exactly as given (contract §5.1). */
  ObjectNode page(List<Message> items, Page page) {
    Instant now = clock.instant();
    String next = items.isEmpty() ? page.rawCursor() : Wire.time(items.get(items.size() - 1).createdAt());
    return Wire.page(Wire.array(items, m -> MessageJson.of(m, now)), page.limit(), next);
  }

  private void history(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    caller.require(Scope.MESSAGES_READ);
    int limit = Query.limit(Query.param(ctx, "limit"), PAGE, MAX_PAGE);
    Instant before = Query.timestampCursor(Query.param(ctx, "cursor"));
    Api.respond(ctx, messages.history(caller, Requests.path(ctx, "channel"), before, limit), 200,
        items -> historyPage(items, limit));
  }

  private static ObjectNode historyPage(List<ArchivedMessage> items, int limit) {
    String next = items.isEmpty() ? null : Wire.time(items.get(items.size() - 1).createdAt());
    return Wire.page(Wire.array(items, Wire::archivedMessage), limit, next);
  }

  private void edit(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    var edit = MessageRequests.edit(Requests.body(ctx), maxContentBytes);
    String messageId = Requests.path(ctx, "message_id");
    Api.write(ctx, tx -> messages.edit(tx, caller, messageId, edit), 200, message -> {
      ObjectNode out = Wire.object();
      out.set("message", MessageJson.of(message, clock.instant()));
      return out;
    });
  }

  private void retract(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String messageId = Requests.path(ctx, "message_id");
    Api.write(ctx, tx -> messages.retract(tx, caller, messageId), 200, v -> {
      ObjectNode out = Wire.object();
      out.put("status", "retracted");
      return out;
    });
  }
}
