package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.agent.AgentService;
import dev.backchannel.agent.CompletionRef;
import dev.backchannel.agent.InboxItem;
import dev.backchannel.agent.InboxStatus;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/** The agent inbox: mentions as items with a status, for heartbeat → inbox → claim → reply → complete loops. */
final class InboxRoutes implements RouteGroup {
  private static final int PAGE = 50;
  private static final int MAX_PAGE = 100;
  private static final int MAX_IDS = 100;

  private final AgentService agents;
  private final Clock clock;

  InboxRoutes(AgentService agents, Clock clock) {
    this.agents = agents;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    for (String prefix : Api.AGENT_PREFIXES) {
      api.keyed(GET, prefix + "/v1/agents/me/inbox", this::list);
      api.keyed(PATCH, prefix + "/v1/agents/me/inbox", this::update);
    }
  }

  private void list(RoutingContext ctx) {
    String raw = Query.param(ctx, "status");
    InboxStatus status = raw == null || raw.isEmpty() ? InboxStatus.PENDING
        : "all".equals(raw) ? null : status(raw);
    int limit = Query.limit(Query.param(ctx, "limit"), PAGE, MAX_PAGE);
    long after = AgentRoutes.seqCursor(Query.param(ctx, "since"));
    Api.respond(ctx, agents.inbox(Requests.caller(ctx), status, after, limit), 200, items -> {
      String next = Long.toString(items.isEmpty() ? after : items.get(items.size() - 1).mention().seq());
      return Wire.page(Wire.array(items, item -> Wire.inboxItem(item, clock.instant())), limit, next);
    });
  }

  private void update(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    List<String> ids = body.optionalStrings("ids", ApiError.INVALID_FIELD);
    if (ids.isEmpty()) {
      throw Body.missing("ids");
    }
    if (ids.size() > MAX_IDS) {
      throw ApiError.INVALID_FIELD.exception("At most " + MAX_IDS + " ids per request");
    }
    InboxStatus status = status(body.requiredString("status"));
    CompletionRef ref = completionRef(body);
    if (ref != null && status != InboxStatus.COMPLETED) {
      throw ApiError.INVALID_COMPLETION_REF.exception("completion_ref goes with status completed only");
    }
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> agents.updateInbox(tx, caller, ids, status, ref), 200, count -> {
      ObjectNode out = Wire.object();
      out.put("updated", count);
      out.put("status", status.wire());
      return out;
    });
  }

  private static InboxStatus status(String raw) {
    return InboxStatus.parse(raw).orElseThrow(() -> ApiError.INVALID_INBOX_STATUS.exception());
  }

  /** {@code completion_ref: {source_type: "message", source_id}}, or null when absent. */
  private static CompletionRef completionRef(Body body) {
    ObjectNode ref = body.optionalObject("completion_ref");
    if (ref == null) {
      return null;
    }
    String type = ref.path("source_type").asText("");
    String id = ref.path("source_id").asText("");
    if (!CompletionRef.MESSAGE.equals(type) || id.isBlank() || !ref.path("source_id").isTextual()) {
      throw ApiError.INVALID_COMPLETION_REF.exception();
    }
    return new CompletionRef(type, id.strip());
  }
}
