package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.channel.AccessRequest;
import dev.backchannel.channel.ChannelEvent;
import dev.backchannel.channel.MembershipService;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.ops.Metrics;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Members, invitations, channel events and access requests (contract §4.3–4.5). */
final class MembershipRoutes implements RouteGroup {
  private static final int PAGE = 50;
  private static final int MAX_PAGE = 100;

  private final MembershipService memberships;
  private final RateLimiter invitationLookups;
  private final String onboardingUrl;
  private final Clock clock;
  private final Metrics metrics;
  private Api api;

  MembershipRoutes(MembershipService memberships, RateLimiter invitationLookups, String onboardingUrl, Clock clock,
      Metrics metrics) {
    this.memberships = memberships;
    this.invitationLookups = invitationLookups;
    this.onboardingUrl = onboardingUrl;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void mount(Api api) {
    this.api = api;
    api.keyed(GET, "/v1/channels/{channel}/members", this::members);
    api.keyed(POST, "/v1/channels/{channel}/members", this::addMember);
    api.keyed(DELETE, "/v1/channels/{channel}/members/{key_id}", this::removeMember);
    api.keyed(GET, "/v1/channels/{channel}/events", this::events);
    api.keyed(POST, "/v1/channels/{channel}/invitations", this::invite);
    api.open(GET, "/v1/channel-invitations/{invitation_id}", this::guardInvitationLookup)
        .handler(this::resolveInvitation);
    api.keyed(DELETE, "/v1/channel-invitations/{invitation_id}", this::revokeInvitation);
    api.keyed(POST, "/v1/channels/{channel}/access-requests", this::requestAccess);
    api.keyed(GET, "/v1/channels/{channel}/access-requests", this::pendingRequests);
    api.keyed(POST, "/v1/channels/{channel}/access-requests/{request_id}/approve", ctx -> decide(ctx, true));
    api.keyed(POST, "/v1/channels/{channel}/access-requests/{request_id}/deny", ctx -> decide(ctx, false));
  }

  private void members(RoutingContext ctx) {
    Api.respond(ctx, memberships.members(Requests.caller(ctx), channel(ctx)), 200,
        members -> data(Wire.array(members, Wire::member)));
  }

  private void addMember(RoutingContext ctx) {
    String keyId = Requests.body(ctx).requiredString("key_id");
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.write(ctx, tx -> memberships.addMember(tx, caller, channel, keyId), 201, Wire::member);
  }

  private void removeMember(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String keyId = Requests.path(ctx, "key_id");
    String channel = channel(ctx);
    Api.write(ctx, tx -> memberships.removeMember(tx, caller, channel, keyId), 200,
        v -> status("removed"));
  }

  private void events(RoutingContext ctx) {
    int limit = Query.limit(Query.param(ctx, "limit"), PAGE, MAX_PAGE);
    String since = Query.param(ctx, "since");
    Instant after = Query.timestampCursor(since);
    Api.respond(ctx, memberships.events(Requests.caller(ctx), channel(ctx), after, limit), 200,
        events -> eventsPage(events, limit, since));
  }

  private static ObjectNode eventsPage(List<ChannelEvent> events, int limit, String since) {
    String next = events.isEmpty() ? since : Wire.time(events.get(events.size() - 1).createdAt());
    return Wire.page(Wire.array(events, Wire::channelEvent), limit, next);
  }

  private void invite(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.write(ctx, tx -> memberships.invite(tx, caller, channel), 201,
        invitation -> Wire.invitation(invitation, clock.instant()));
  }

  /** Contract §4.5: the address budget comes first, then "sign in" (401 with a redirect), then the key. */
  private void guardInvitationLookup(RoutingContext ctx) {
    RateLimiter.Decision decision = invitationLookups.acquire(Requests.clientIp(ctx));
    if (!decision.allowed()) {
      metrics.rateLimited(invitationLookups.name());
      throw Api.rateLimited(decision);
    }
    if (ctx.request().getHeader("X-API-Key") == null) {
      ObjectNode body = Wire.object();
      body.put("error", ApiError.API_KEY_REQUIRED.code());
      body.put("message", "Resolving an invitation needs an API key: mint one with POST /v1/keys, then retry");
      body.put("redirect_to", onboardingUrl);
      Responses.bareError(ctx, 401, body);
      return;
    }
    api.authenticate(ctx);
  }

  private void resolveInvitation(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String invitationId = Requests.path(ctx, "invitation_id");
    Api.write(ctx, tx -> memberships.resolveInvitation(tx, caller, invitationId), 200,
        invitation -> Wire.invitation(invitation, clock.instant()));
  }

  private void revokeInvitation(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String invitationId = Requests.path(ctx, "invitation_id");
    Api.write(ctx, tx -> memberships.revokeInvitation(tx, caller, invitationId), 200,
        invitation -> Wire.invitation(invitation, clock.instant()));
  }

  private void requestAccess(RoutingContext ctx) {
    String reason = Requests.body(ctx).optionalText("reason", "");
    Caller caller = Requests.caller(ctx);
    String channel = channel(ctx);
    Api.writeReply(ctx, tx -> memberships.requestAccess(tx, caller, channel, reason), outcome -> {
      ObjectNode body = status(outcome.status());
      if (outcome.isPending()) {
        body.put("request_id", outcome.requestId());
      } else if (outcome.status().equals("open")) {
        body.put("note", "This channel is open: any key can read and post without asking");
      }
      return new RequestWrite.Reply(outcome.isPending() ? 202 : 200, body);
    });

  }

  private void pendingRequests(RoutingContext ctx) {
    Api.respond(ctx, memberships.pendingRequests(Requests.caller(ctx), channel(ctx)), 200,
        requests -> data(Wire.array(requests, Wire::accessRequest)));
  }

  private void decide(RoutingContext ctx, boolean approve) {
    Caller caller = Requests.caller(ctx);
    String requestId = Requests.path(ctx, "request_id");
    String channel = channel(ctx);
    Api.write(ctx, tx -> memberships.decide(tx, caller, channel, requestId, approve), 200,
        MembershipRoutes::decision);
  }

  private static ObjectNode decision(AccessRequest request) {
    ObjectNode out = status(request.status());
    out.put("request_id", request.id());
    out.put("requester_key_id", request.requesterKeyId());
    return out;
  }

  private static String channel(RoutingContext ctx) {
    return Requests.path(ctx, "channel");
  }

  private static ObjectNode data(com.fasterxml.jackson.databind.node.ArrayNode items) {
    ObjectNode out = Wire.object();
    out.set("data", items);
    return out;
  }

  private static ObjectNode status(String status) {
    ObjectNode out = Wire.object();
    out.put("status", status);
    return out;
  }
}
