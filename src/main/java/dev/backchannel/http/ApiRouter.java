package dev.backchannel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.stream.Hub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one Router: request start (id, headers, metrics) → body cap → CORS preflight → route groups
 * → the JSON 404 and the failure handler. Every route group lists its routes in {@code mount}.
 */
public final class ApiRouter {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  static final String EXPOSED_HEADERS = "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, "
      + "X-RateLimit-Reset, X-RateLimit-Window, Retry-After, Idempotency-Key, X-Idempotency-Source, "
      + "X-Idempotent-Replay, Deprecation, Sunset, Link";

  // Vert.x Web traces every request URL at FINEST, and URLs carry lease tokens and invitation
  // ids: that trace stays off whatever level the logging configuration asks for. (A JUL logger
  // keeps its level only while referenced, hence the field.)
  private static final Logger URL_TRACE = Logger.getLogger("io.vertx.ext.web.impl.RouterImpl");

  static {
    URL_TRACE.setLevel(Level.FINE);
  }

  private final HttpDeps deps;
  private final Hub hub;
  private final RouteTable table;
  private final Router router;
  private final AccessLog accessLog;

  private ApiRouter(Vertx vertx, HttpDeps deps, Hub hub) {
    this.deps = deps;
    this.hub = hub;
    this.router = Router.router(vertx);
    this.table = new RouteTable(router);
    this.accessLog = new AccessLog(deps.config().accessLog());
  }

  public static Router create(Vertx vertx, HttpDeps deps, Hub hub) {
    return new ApiRouter(vertx, deps, hub).build();
  }

  /** The routes the server serves, for documentation checks; builds a throwaway router. */
  public static RouteTable routes(Vertx vertx, HttpDeps deps) {
    ApiRouter api = new ApiRouter(vertx, deps, new Hub(vertx, deps.frames(), deps.ticker()));
    api.build();
    return api.table;
  }

  private Router build() {
    router.route().handler(this::start);
    router.route().handler(ApiRouter::rejectTrailingSlash);
    // Only methods that carry a body read one: Vert.x refuses to decode a form body (a multipart or
    // urlencoded Content-Type) on GET, HEAD or OPTIONS and the request failed with a 500.
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(deps.config().maxBodyBytes()));
    router.route().method(HttpMethod.OPTIONS).handler(this::preflight);
    Api api = new Api(table, deps.keys(), deps.perKeyLimiter(), deps.idempotency(), deps.config(), deps.metrics());
    deps.routeGroups().apply(hub).forEach(group -> group.mount(api));
    router.errorHandler(404, ApiRouter::routeNotFound);
    router.errorHandler(405, ApiRouter::routeNotFound);
    router.route().failureHandler(new FailureHandler(deps.baseUrl()));
    return router;
  }

  private void start(RoutingContext ctx) {
    long started = System.nanoTime();
    deps.metrics().requestStarted();
    String requestId = UUID.randomUUID().toString();
    ctx.put(Requests.REQUEST_ID, requestId);
    deps.clientAddress().attach(ctx);
    HttpServerResponse response = ctx.response();
    response.putHeader("X-Request-Id", requestId);
    String traceparent = ctx.request().getHeader("traceparent");
    String hex = requestId.replace("-", "");
    response.putHeader("traceparent", traceparent != null ? traceparent : "00-" + hex + "-" + hex.substring(0, 16) + "-01");
    response.putHeader("Access-Control-Allow-Origin", "*");
    response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    response.putHeader("X-Content-Type-Options", "nosniff");
    response.putHeader("X-Frame-Options", "DENY");
    response.putHeader("Referrer-Policy", "no-referrer");
    response.putHeader("Content-Security-Policy", CSP);
    if (BaseUrl.isHttps(ctx)) {
      response.putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    response.putHeader("X-RateLimit-Limit", Integer.toString(deps.config().rateLimit()));
    response.putHeader("X-RateLimit-Window", Integer.toString(deps.config().rateLimitWindow()));
    ctx.addHeadersEndHandler(v -> {
      if (response.getStatusCode() < 400) {
        response.headers().add("Link", "</openapi.json>; rel=\"service-desc\"");
        response.headers().add("Link", "</.well-known/ai-manifest.json>; rel=\"ai-manifest\"");
      }
    });
    ctx.addEndHandler(v -> finished(ctx, System.nanoTime() - started));
    if (!isWellEncoded(ctx.request().uri())) {
      ctx.fail(ApiError.INVALID_URL.exception());
      return;
    }
    ctx.next();
  }

  private void finished(RoutingContext ctx, long nanos) {
    String template = RouteTable.template(ctx);
    int status = ctx.response().getStatusCode();
    deps.metrics().request(ctx.request().method().name(), RouteTable.metricsPath(template), status, nanos);
    accessLog.record(ctx, template, status, nanos);
  }

  /**
   * Vert.x decodes path and query parameters while matching routes and answers a broken escape
   * ({@code %ZZ}, a lone {@code %}) with a bare text 400; catching it first keeps the JSON envelope.
   */
  static boolean isWellEncoded(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
          || Character.digit(uri.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Contract §1.1: paths match exactly; {@code /v1/channels/} is not {@code /v1/channels}. */
  private static void rejectTrailingSlash(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.length() > 1 && path.endsWith("/")) {
      routeNotFound(ctx);
      return;
    }
    ctx.next();
  }

  /** Contract §1.7: any path a route serves gets the preflight answer, whatever the method. */
  private void preflight(RoutingContext ctx) {
    if (!table.matchesAny(ctx.normalizedPath())) {
      routeNotFound(ctx);
      return;
    }
    ctx.response()
        .putHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS")
        .putHeader("Access-Control-Allow-Headers",
            "Content-Type, X-API-Key, Idempotency-Key, X-Admin-Token, Last-Event-ID")
        .putHeader("Access-Control-Max-Age", "86400");
    Responses.send(ctx, 204, null, io.vertx.core.buffer.Buffer.buffer());
  }

  /** Contract §1.1: never a 405; an unknown method and path is a bare 404. */
  static void routeNotFound(RoutingContext ctx) {
    ObjectNode body = Wire.object();
    body.put("error", "not_found");
    body.put("message", "No route for " + ctx.request().method().name() + " " + ctx.request().path());
    Responses.bareError(ctx, 404, body);
  }
}
