package dev.backchannel.http;

import dev.backchannel.config.Config;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.KeyService;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.WriteWork;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Function;

/**
 * How route groups declare their routes. Each kind of route gets its guards in the contract's
 * order (§1.1): API key → per-key rate limit → idempotency (writes only) → handler.
 */
public final class Api {
  private final RouteTable table;
  private final KeyService keys;
  private final RateLimiter perKey;
  private final Idempotency idempotency;
  private final Config config;
  private final Metrics metrics;

  public Api(RouteTable table, KeyService keys, RateLimiter perKey, Idempotency idempotency, Config config,
      Metrics metrics) {
    this.table = table;
    this.keys = keys;
    this.perKey = perKey;
    this.idempotency = idempotency;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Where agent clients written for other servers look for the mention, inbox and agent routes:
   * the plain path and the same under {@code /api}.
   */
  static final List<String> AGENT_PREFIXES = List.of("", "/api");

  /** A route that needs an API key; writes (POST, PATCH, DELETE) are idempotent. */
  public Route keyed(HttpMethod method, String template, Handler<RoutingContext> handler) {
    Route route = table.add(method, template).handler(this::authenticate).handler(this::limitPerKey);
    if (method == HttpMethod.POST || method == HttpMethod.PATCH || method == HttpMethod.DELETE) {
      route.handler(idempotency);
    } else {
      route.handler(idempotency::unrecorded);
    }
    return route.handler(handler);
  }

  /**
   * A read-only stream route: an API key, or a short-lived stream token in {@code ?token=} for
   * browsers (extensions §2), then the per-key rate limit.
   */
  public Route streaming(HttpMethod method, String template, Handler<RoutingContext> handler) {
    return table.add(method, template).handler(this::authenticateStream).handler(this::limitPerKey)
        .handler(handler);
  }

  private void authenticateStream(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    if (token == null) {
      authenticate(ctx);
      return;
    }
    keys.authenticateStreamToken(token).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(Requests.CALLER, result.result().caller());
        ctx.put(Requests.STREAM_GRANT, result.result().grant());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  /** A route anyone may call. */
  public Route open(HttpMethod method, String template, Handler<RoutingContext> handler) {
    return table.add(method, template).handler(idempotency::unrecorded).handler(handler);
  }

  /** A route for the operator: {@code X-Admin-Token}, compared in constant time (contract §4.12). */
  public Route admin(HttpMethod method, String template, Handler<RoutingContext> handler) {
    return table.add(method, template).handler(this::requireAdmin).handler(idempotency::unrecorded).handler(handler);
  }

  /** Authenticates inside a handler, for routes whose key check comes after other checks. */
  public void authenticate(RoutingContext ctx) {
    keys.authenticate(ctx.request().getHeader("X-API-Key")).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(Requests.CALLER, result.result());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  private void limitPerKey(RoutingContext ctx) {
    RateLimiter.Decision decision = perKey.acquire(Requests.caller(ctx).keyId());
    if (perKey.enabled()) {
      ctx.response().putHeader("X-RateLimit-Remaining", Integer.toString(Math.max(0, decision.remaining())));
      ctx.response().putHeader("X-RateLimit-Reset", Long.toString(decision.retryAfterSeconds()));
    }
    if (!decision.allowed()) {
      metrics.rateLimited(perKey.name());
      ctx.fail(rateLimited(decision));
      return;
    }
    ctx.next();
  }

  static dev.backchannel.error.ApiException rateLimited(RateLimiter.Decision decision) {
    return ApiError.RATE_LIMIT_EXCEEDED.exception(
        "Rate limit exceeded: " + decision.limit() + " requests per window; retry after "
            + decision.retryAfterSeconds() + " s").with("retry_after", decision.retryAfterSeconds());
  }

  private void requireAdmin(RoutingContext ctx) {
    if (!config.adminEnabled()) {
      ctx.fail(ApiError.ADMIN_DISABLED.exception());
      return;
    }
    if (!isAdmin(ctx, config)) {
      metrics.authFailure("admin");
      ctx.fail(ApiError.ADMIN_UNAUTHORIZED.exception());
      return;
    }
    ctx.next();
  }

  /** Whether the request carries the operator's {@code X-Admin-Token} (compared in constant time). */
  static boolean isAdmin(RoutingContext ctx, Config config) {
    String token = ctx.request().getHeader("X-Admin-Token");
    return config.adminEnabled() && token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        config.adminToken().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Runs the request's write as its one unit of work and answers with {@code render(result)}:
   * rendered, recorded for idempotent replay and committed together (see {@link RequestWrite}).
   */
  public static <T> void write(RoutingContext ctx, WriteWork<T> work, int status,
      Function<T, com.fasterxml.jackson.databind.JsonNode> render) {
    RequestWrite.of(ctx).respond(ctx, work, status, render);
  }

  /** As {@link #write}, for answers whose status depends on the result. */
  public static <T> void writeReply(RoutingContext ctx, WriteWork<T> work, Function<T, RequestWrite.Reply> render) {
    RequestWrite.of(ctx).reply(ctx, work, render);
  }

  /** Renders the future's value, or fails the request with its error. */
  public static <T> void respond(RoutingContext ctx, Future<T> result, int status,
      Function<T, com.fasterxml.jackson.databind.JsonNode> render) {
    result.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      try {
        Responses.json(ctx, status, render.apply(done.result()));
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }
}
