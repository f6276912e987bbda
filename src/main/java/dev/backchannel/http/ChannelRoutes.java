package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.channel.ChannelDraft;
import dev.backchannel.channel.ChannelNames;
import dev.backchannel.channel.ChannelPatch;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.ChannelStats;
import dev.backchannel.channel.DiscoveryItem;
import dev.backchannel.key.Caller;
import dev.backchannel.key.Scope;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/** Channels: create, discover, get, patch, delete, aliases, metrics (contract §4.2, §4.11). */
final class ChannelRoutes implements RouteGroup {
  private static final int PAGE = 50;
  private static final int MAX_PAGE = 100;

  private final ChannelService channels;
  private final Clock clock;

  ChannelRoutes(ChannelService channels, Clock clock) {
    this.channels = channels;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/channels", this::create);
    api.keyed(GET, "/v1/channels", this::discover);
    api.keyed(GET, "/v1/channels/{channel}", this::get);
    api.keyed(PATCH, "/v1/channels/{channel}", this::patch);
    api.keyed(DELETE, "/v1/channels/{channel}", this::delete);
    api.keyed(POST, "/v1/channels/{channel}/aliases", this::addAlias);
    api.keyed(GET, "/v1/channels/{channel}/metrics", this::metrics);
    api.admin(POST, "/v1/admin/channels/{channel}/pause", ctx -> setPaused(ctx, true));
    api.admin(POST, "/v1/admin/channels/{channel}/resume", ctx -> setPaused(ctx, false));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    caller.require(Scope.CHANNELS_WRITE);
    ChannelDraft draft = ChannelRequests.draft(Requests.body(ctx));
    Api.write(ctx, tx -> channels.create(tx, caller, draft), 201, Wire::channel);
  }

  private void discover(RoutingContext ctx) {
    int limit = Query.clampedLimit(Query.param(ctx, "limit"), PAGE, MAX_PAGE, true);
    String cursor = Query.param(ctx, "cursor") != null ? Query.param(ctx, "cursor") : Query.param(ctx, "since");
    Api.respond(ctx, channels.discover(Requests.caller(ctx), Query.timestampCursor(cursor), limit), 200,
        items -> discoveryPage(items, limit));
  }

  private static ObjectNode discoveryPage(List<DiscoveryItem> items, int limit) {
    String next = items.size() == limit ? Wire.time(items.get(items.size() - 1).createdAt()) : null;
    return Wire.page(Wire.array(items, Wire::discoveryItem), limit, next);
  }

  private void get(RoutingContext ctx) {
    Api.respond(ctx, channels.resolve(Requests.caller(ctx), Requests.path(ctx, "channel")), 200, Wire::channel);
  }

  private void patch(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String channel = Requests.path(ctx, "channel");
    ChannelPatch patch = ChannelRequests.patch(Requests.body(ctx));
    Api.write(ctx, tx -> channels.patch(tx, caller, channel, patch), 200, Wire::channel);
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String channel = Requests.path(ctx, "channel");
    Api.writeReply(ctx, tx -> channels.delete(tx, caller, channel), v -> RequestWrite.Reply.empty(204));
  }

  private void addAlias(RoutingContext ctx) {
    String alias = ChannelNames.validateAlias(Requests.body(ctx).requiredString("alias"));
    Caller caller = Requests.caller(ctx);
    String channel = Requests.path(ctx, "channel");
    Api.write(ctx, tx -> channels.aliasChannel(tx, caller, channel, alias), 201, Wire::channel);
  }

  private void metrics(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String identifier = Requests.path(ctx, "channel");
    Api.respond(ctx, channels.resolve(caller, identifier)
        .compose(channel -> channels.stats(channel).map(stats -> render(channel.id(), stats))), 200,
        node -> node);
  }

  private ObjectNode render(String channelId, ChannelStats stats) {
    ObjectNode out = Wire.object();
    out.put("channel_id", channelId);
    ObjectNode counts = out.putObject("message_counts");
    counts.put("total", stats.total());
    counts.put("unclaimed", stats.unclaimed());
    counts.put("claimed", stats.claimed());
    counts.put("acknowledged", stats.acknowledged());
    out.put("avg_claim_to_ack_ms", stats.avgClaimToAckMs());
    out.put("computed_at", Wire.time(clock.instant()));
    return out;
  }

  private void setPaused(RoutingContext ctx, boolean paused) {
    Api.respond(ctx, channels.setPaused(Requests.path(ctx, "channel"), paused, Requests.clientIp(ctx)), 200,
        Wire::channel);
  }
}
