package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.audit.AuditEvent;
import dev.backchannel.audit.AuditLog;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.config.Config;
import dev.backchannel.key.Caller;
import io.vertx.ext.web.RoutingContext;

/** What a key can learn about itself: usage, owned-channel counts, security events (contract §4.11). */
final class AccountRoutes implements RouteGroup {
  private final ChannelService channels;
  private final AuditLog audit;
  private final Config config;

  AccountRoutes(ChannelService channels, AuditLog audit, Config config) {
    this.channels = channels;
    this.audit = audit;
    this.config = config;
  }

  @Override
  public void mount(Api api) {
    api.keyed(GET, "/v1/observability/metrics", this::observability);
    api.keyed(GET, "/v1/security/audit", this::securityAudit);
    api.keyed(GET, "/account/usage", this::usage);
  }

  private void observability(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    Api.respond(ctx, channels.usage(caller), 200, usage -> {
      ObjectNode out = Wire.object();
      out.put("key_id", caller.keyId());
      out.put("channels_owned", usage.channelsOwned());
      out.put("messages_in_owned_channels", usage.messagesInOwnedChannels());
      out.put("messages_claimed_in_owned_channels", usage.messagesClaimedInOwnedChannels());
      out.put("active_sessions", usage.activeSessions());
      return out;
    });
  }

  private void securityAudit(RoutingContext ctx) {
    int limit = Query.clampedLimit(Query.param(ctx, "limit"), 100, AuditLog.WINDOW, false);
    Api.respond(ctx, audit.involving(Requests.caller(ctx).keyId(), limit), 200, events -> {
      ObjectNode out = Wire.object();
      out.set("data", Wire.array(events, AccountRoutes::auditEvent));
      out.put("count", events.size());
      return out;
    });
  }

  private static ObjectNode auditEvent(AuditEvent e) {
    ObjectNode out = Wire.object();
    out.put("id", e.id());
    out.put("occurred_at", Wire.time(e.occurredAt()));
    out.put("actor_key_id", e.actorKeyId());
    out.put("subject_key_id", e.subjectKeyId());
    out.put("event_type", e.eventType());
    out.put("remote_addr", e.remoteAddr());
    out.set("detail", Body.JSON.valueToTree(e.detail()));
    return out;
  }

  private void usage(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    ObjectNode out = Wire.object();
    out.put("key_id", caller.keyId());
    out.put("plan", caller.plan());
    ObjectNode limit = out.putObject("rate_limit");
    limit.put("requests_per_window", config.rateLimit());
    limit.put("window_seconds", config.rateLimitWindow());
    out.put("instance_kind", config.instanceKind());
    out.put("note", "Self-hosted instances have no quotas beyond the configured rate limit");
    Responses.ok(ctx, out);
  }
}
