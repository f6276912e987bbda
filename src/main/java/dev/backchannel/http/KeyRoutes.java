package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.config.Config;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.key.IssuedKey;
import dev.backchannel.key.KeyService;
import dev.backchannel.key.Scope;
import dev.backchannel.ops.Metrics;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/** Keys: mint, inspect, revoke, restrict (contract §4.1) and the admin key routes (§4.12). */
final class KeyRoutes implements RouteGroup {
  private final KeyService keys;
  private final RateLimiter mintLimiter;
  private final Config config;
  private final Metrics metrics;

  KeyRoutes(KeyService keys, RateLimiter mintLimiter, Config config, Metrics metrics) {
    this.keys = keys;
    this.mintLimiter = mintLimiter;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void mount(Api api) {
    api.open(POST, "/v1/keys", this::mint);
    api.keyed(GET, "/v1/keys/me", this::me);
    api.keyed(DELETE, "/v1/keys/me", this::revoke);
    api.keyed(PUT, "/v1/keys/me/scopes", this::setScopes);
    api.admin(POST, "/v1/admin/keys", this::adminMint);
    api.admin(POST, "/v1/admin/minting", this::setMinting);
  }

  private void mint(RoutingContext ctx) {
    if (!keys.publicMintingEnabled()) {
      throw ApiError.MINTING_CLOSED.exception("Public key minting is closed on this instance; ask the operator for a key");
    }
    // contract §4.1: every attempt counts against the per-address budget, even invalid ones.
    RateLimiter.Decision decision = mintLimiter.acquire(Requests.clientIp(ctx));
    if (!decision.allowed()) {
      metrics.rateLimited(mintLimiter.name());
      throw Api.rateLimited(decision);
    }
    issue(ctx, false);
  }

  private void adminMint(RoutingContext ctx) {
    issue(ctx, true);
  }

  private void issue(RoutingContext ctx, boolean byAdmin) {
    String label = label(Requests.body(ctx));
    Api.respond(ctx, keys.issue(label, Requests.clientIp(ctx), byAdmin), 201, this::issued);
  }

  /** Contract §4.1: any missing, blank or non-string label is {@code missing_field}. */
  private static String label(Body body) {
    JsonNode value = body.node("agent_label");
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw Body.missing("agent_label");
    }
    return value.asText();
  }

  private JsonNode issued(IssuedKey issued) {
    ObjectNode out = Wire.object();
    out.put("key", issued.raw());
    out.put("key_id", issued.key().keyId());
    out.putNull("expires_at");
    out.put("agent_label", issued.key().agentLabel());
    out.put("rate_limit", config.rateLimit());
    out.put("rate_limit_window_seconds", config.rateLimitWindow());
    return out;
  }

  private void me(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    ObjectNode out = Wire.object();
    out.put("key_id", caller.keyId());
    out.put("owner_id", caller.ownerId());
    out.put("plan", caller.plan());
    out.put("active", true);
    out.set("scopes", scopes(caller.scopes()));
    out.put("rate_limit", config.rateLimit());
    out.put("rate_limit_window_seconds", config.rateLimitWindow());
    Responses.ok(ctx, out);
  }

  private void revoke(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String remoteAddr = Requests.clientIp(ctx);
    Api.write(ctx, tx -> keys.revoke(tx, caller, remoteAddr), 200, v -> {
      ObjectNode out = Wire.object();
      out.put("key_id", caller.keyId());
      out.put("revoked", true);
      return out;
    });
  }

  private void setScopes(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    JsonNode value = Requests.body(ctx).node("scopes");
    if (value == null || !value.isArray()) {
      throw ApiError.INVALID_SCOPES.exception();
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (JsonNode item : value) {
      scopes.add(Scope.parse(item.isTextual() ? item.asText() : "")
          .orElseThrow(() -> ApiError.INVALID_SCOPE.exception("Unknown scope " + item)));
    }
    Api.respond(ctx, keys.setScopes(caller, scopes), 200, granted -> {
      ObjectNode out = Wire.object();
      out.put("key_id", caller.keyId());
      out.set("scopes", scopes(granted));
      return out;
    });
  }

  private void setMinting(RoutingContext ctx) {
    JsonNode enabled = Requests.body(ctx).node("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      throw ApiError.INVALID_FIELD.exception("'enabled' must be a JSON boolean");
    }
    Api.respond(ctx, keys.setPublicMinting(enabled.asBoolean(), Requests.clientIp(ctx)), 200, value -> {
      ObjectNode out = Wire.object();
      out.put("public_minting_enabled", value);
      return out;
    });
  }

  private static JsonNode scopes(Set<Scope> scopes) {
    if (scopes == null) {
      return null;
    }
    TreeSet<String> names = new TreeSet<>();
    scopes.forEach(s -> names.add(s.wire()));
    ArrayNode out = Wire.object().arrayNode();
    names.forEach(out::add);
    return out;
  }
}
