package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.key.Caller;
import dev.backchannel.actor.ActorService;
import dev.backchannel.actor.ActorWebhook;
import dev.backchannel.channel.ChannelNames;
import dev.backchannel.error.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Actors, actor aliases and mention webhooks (contract §4.8). */
final class ActorRoutes implements RouteGroup {
  private final ActorService actors;

  ActorRoutes(ActorService actors) {
    this.actors = actors;
  }

  @Override
  public void mount(Api api) {
    api.keyed(POST, "/v1/actors", this::create);
    api.keyed(GET, "/v1/actors/{actor}", this::get);
    api.keyed(POST, "/v1/actors/{actor}/aliases", this::addAlias);
    api.keyed(POST, "/v1/actors/{actor_id}/webhook", this::setWebhook);
    api.keyed(GET, "/v1/actors/{actor_id}/webhook", this::webhook);
    api.keyed(DELETE, "/v1/actors/{actor_id}/webhook", this::deleteWebhook);
  }

  private void create(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String name = body.requiredString("name");
    String description = body.optionalText("description", "");
    String metadata = body.metadata().toString();
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> actors.create(tx, caller, name, description, metadata), 201, Wire::actor);
  }

  private void get(RoutingContext ctx) {
    Api.respond(ctx, actors.get(Requests.path(ctx, "actor")), 200, Wire::actor);
  }

  private void addAlias(RoutingContext ctx) {
    String alias = ChannelNames.validateAlias(Requests.body(ctx).requiredString("alias"));
    String actor = Requests.path(ctx, "actor");
    Api.write(ctx, tx -> actors.addAlias(tx, actor, alias), 201, Wire::actor);
  }

  private void setWebhook(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    JsonNode url = body.node("url");
    if (url == null || !url.isTextual() || ChannelRequests.webhookUrl(url.asText().strip()) == null
        || url.asText().isBlank()) {
      throw ApiError.INVALID_WEBHOOK_URL.exception();
    }
    JsonNode secret = body.node("secret");
    String secretText = secret == null || secret.isNull() ? null : secret.isTextual() ? secret.asText() : secret.toString();
    Caller caller = Requests.caller(ctx);
    String actorId = Requests.path(ctx, "actor_id");
    String target = url.asText().strip();
    Api.write(ctx, tx -> actors.setWebhook(tx, caller, actorId, target, secretText), 200,
        webhook -> webhook(webhook, false));
  }

  private void webhook(RoutingContext ctx) {
    Api.respond(ctx, actors.webhook(Requests.caller(ctx), Requests.path(ctx, "actor_id")), 200,
        webhook -> webhook(webhook, true));
  }

  private void deleteWebhook(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String actorId = Requests.path(ctx, "actor_id");
    Api.write(ctx, tx -> actors.deleteWebhook(tx, caller, actorId), 200, v -> {
      ObjectNode out = Wire.object();
      out.put("deleted", true);
      return out;
    });
  }

  /** The secret itself is never returned (contract §4.8). */
  private static ObjectNode webhook(ActorWebhook webhook, boolean withUpdatedAt) {
    ObjectNode out = Wire.object();
    out.put("actor_id", webhook.actorId());
    out.put("url", webhook.url());
    out.put("has_secret", webhook.hasSecret());
    if (withUpdatedAt) {
      out.put("updated_at", Wire.time(webhook.updatedAt()));
    }
    return out;
  }
}
