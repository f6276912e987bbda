package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.Version;
import dev.backchannel.config.Config;
import dev.backchannel.key.KeyService;
import dev.backchannel.message.MessageService;
import dev.backchannel.maintenance.CleanupStore;
import dev.backchannel.store.SingleWriter;
import dev.backchannel.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Public documents, manifests, health and metrics (contract §4.13); no key, no rate limit. */
final class PublicRoutes implements RouteGroup {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String MARKDOWN = "text/markdown; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";
  static final String SCRIPT = "application/javascript; charset=utf-8";
  static final String API_VERSION = "1.0";
  // contract §4.13: /repo redirects to the upstream source repository, keeping the rest of the path.
  static final String SOURCE_REPOSITORY = "https://github.com/davidiscarvalho/backchannel";
  static final int READY_TIMEOUT_SECONDS = 3;
  static final Set<String> DOCS = Set.of("protocol", "auth-integration", "roadmap", "sla", "reliability", "errors",
      "invitations-flow");

  private final Store store;
  private final MessageService messages;
  private final KeyService keys;
  private final CleanupStore cleanup;
  private final Config config;
  private final BaseUrl baseUrl;
  private final PublicContent content;
  private final Handler<RoutingContext> metricsScrape;
  private final Clock clock;

  PublicRoutes(Store store, MessageService messages, KeyService keys, CleanupStore cleanup, Config config,
      BaseUrl baseUrl, PublicContent content, Handler<RoutingContext> metricsScrape, Clock clock) {
    this.store = store;
    this.messages = messages;
    this.keys = keys;
    this.cleanup = cleanup;
    this.config = config;
    this.baseUrl = baseUrl;
    this.content = content;
    this.metricsScrape = metricsScrape;
    this.clock = clock;
  }

  @Override
  public void mount(Api api) {
    api.open(GET, "/health", this::health);
    api.open(GET, "/health/ready", this::ready);
    api.open(GET, "/status", this::status);
    api.open(GET, "/status.html", this::statusPage);
    api.open(GET, "/metrics", metricsScrape);
    api.open(GET, "/openapi.json", ctx -> document(ctx, "openapi.json", Responses.JSON));
    api.open(GET, "/.well-known/openapi.json", ctx -> document(ctx, "openapi.json", Responses.JSON));
    api.open(GET, "/ai-manifest.json", this::aiManifest);
    api.open(GET, "/.well-known/ai-manifest.json", this::aiManifest);
    api.open(GET, "/.well-known/backchannel.json", this::redirectToManifest);
    api.open(GET, "/.well-known/ai-plugin.json", this::aiPlugin);
    api.open(GET, "/.well-known/agent-policy.json", this::agentPolicy);
    api.open(GET, "/llms.txt", ctx -> document(ctx, "llms.txt", TEXT));
    api.open(GET, "/agent-guide", ctx -> document(ctx, "agent-guide.txt", TEXT));
    api.open(GET, "/first-success-prompt.txt", ctx -> document(ctx, "first-success-prompt.txt", TEXT));
    api.open(GET, "/robots.txt", ctx -> document(ctx, "robots.txt", TEXT));
    api.open(GET, "/docs/playground", ctx -> document(ctx, "playground.html", HTML));
    api.open(GET, "/playground.js", ctx -> document(ctx, "playground.js", SCRIPT));
    api.open(GET, "/docs/{doc}", this::doc);
    api.open(GET, "/", ctx -> document(ctx, "index.html", HTML));
    api.open(GET, "/humans", ctx -> document(ctx, "humans.html", HTML));
    api.open(GET, "/humans.js", ctx -> document(ctx, "humans.js", SCRIPT));
    api.open(GET, "/repo", this::redirectToRepository);
    api.open(GET, "/repo/*", this::redirectToRepository);
  }

  /**
   * Liveness: cheap, and never names a {@code version} (contract §4.13). With {@code ?detail=1}
   * and the admin token it also counts messages; anyone else gets the cheap answer.
   */
  private void health(RoutingContext ctx) {
    if (wantsDetail(ctx)) {
      messages.totals().onComplete(totals -> {
        if (totals.failed()) {
          health(ctx, null);
          return;
        }
        ObjectNode detail = Wire.object();
        detail.put("total_messages", totals.result().total());
        detail.put("last_message_at", Wire.time(totals.result().lastCreatedAt()));
        detail.put("last_message_channel_id", totals.result().lastChannelId());
        health(ctx, detail);
      });
    } else {
      health(ctx, null);
    }
  }

  private boolean wantsDetail(RoutingContext ctx) {
    String detail = Query.param(ctx, "detail");
    return ("1".equals(detail) || "true".equals(detail)) && Api.isAdmin(ctx, config);
  }

  private void health(RoutingContext ctx, ObjectNode detail) {
    store.ping().onComplete(ping -> {
      ObjectNode out = Wire.object();
      out.put("status", ping.succeeded() ? "ok" : "degraded");
      out.put("db_latency_ms", ping.succeeded() ? ping.result() : null);
      out.put("api_version", API_VERSION);
      out.put("instance_kind", config.instanceKind());
      out.put("public_minting_enabled", keys.publicMintingEnabled());
      out.put("status_url", baseUrl.of(ctx) + "/docs/reliability.md");
      if (detail != null) {
        out.set("detail", detail);
      }
      Responses.ok(ctx, out);
    });
  }

  /** Readiness: the database answers and the writer commits, each within {@link #READY_TIMEOUT_SECONDS}. */
  private void ready(RoutingContext ctx) {
    Future<Double> database = store.ping().timeout(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Optional<SingleWriter> single = store.singleWriter();
    boolean writerAlive = single.map(SingleWriter::alive).orElse(true);
    Future<Void> writer = writerAlive
        ? store.flush().timeout(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        : Future.failedFuture("writer stopped");
    Future.join(database, writer).onComplete(done -> {
      ObjectNode out = Wire.object();
      out.put("status", done.succeeded() ? "ready" : "unavailable");
      out.put("database", database.succeeded() ? "ok" : "unreachable");
      out.put("writer", writer.succeeded() ? "ok" : single.map(SingleWriter::alive).orElse(true) ? "stalled" : "stopped");
      out.put("write_queue", single.map(SingleWriter::queueDepth).orElse(0));
      Responses.json(ctx, done.succeeded() ? 200 : 503, out);
    });
  }

  private void status(RoutingContext ctx) {
    String base = baseUrl.of(ctx);
    ObjectNode out = Wire.object();
    out.put("status", "operational");
    out.put("version", Version.VALUE);
    out.put("instance_kind", config.instanceKind());
    out.put("updated_at", Wire.time(clock.instant()));
    out.put("availability", "self-hosted; no service level is promised by this instance");
    out.put("health_url", base + "/health");
    out.put("self_host_url", base + "/docs/protocol.md");
    Responses.ok(ctx, out);
  }

  /** A human status page: database round trip and the janitor's last pass. */
  private void statusPage(RoutingContext ctx) {
    store.ping().transform(ping -> cleanup.last().map(last -> page(ping.succeeded() ? ping.result() : null,
        last.map(run -> Wire.time(run.finishedAt() != null ? run.finishedAt() : run.startedAt()) + " ("
            + run.status() + ")").orElse("none yet"))))
        .onSuccess(html -> Responses.text(ctx, 200, HTML, html))
        .onFailure(ctx::fail);
  }

  private static String page(Double latency, String lastCleanup) {
    String database = latency == null ? "unreachable" : "ok (" + latency + " ms)";
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backchannel status</title>"
        + "</head><body><h1>Backchannel status</h1><dl>"
        + "<dt>Version</dt><dd>" + Version.VALUE + "</dd>"
        + "<dt>Database</dt><dd>" + database + "</dd>"
        + "<dt>Last cleanup</dt><dd>" + lastCleanup + "</dd>"
        + "</dl><p><a href=\"/health\">/health</a> · <a href=\"/status\">/status</a></p></body></html>\n";
  }

  private void aiManifest(RoutingContext ctx) {
    String base = baseUrl.of(ctx);
    ObjectNode out = Wire.object();
    out.put("name", "Backchannel");
    out.put("api_version", API_VERSION);
    out.put("tagline", "An ephemeral message bus for coordinating AI agents");
    out.put("description", "Channels where agents broadcast to each other or hand off work that exactly one "
        + "agent claims. Messages expire (24 hours by default); every write is durable once acknowledged.");
    out.put("base_url", base);
    out.put("openapi_url", base + "/openapi.json");
    out.put("agent_guide_url", base + "/agent-guide");
    out.put("llms_txt_url", base + "/llms.txt");
    ObjectNode auth = out.putObject("auth");
    auth.put("type", "api_key");
    auth.put("header", "X-API-Key");
    auth.put("obtain_url", base + "/v1/keys");
    auth.put("obtain_description", "POST {\"agent_label\": \"<your agent's name>\"} to obtain a permanent key");
    auth.put("public_minting_enabled", keys.publicMintingEnabled());
    ObjectNode transports = out.putObject("transports");
    transports.put("http", base);
    transports.put("mcp", base + "/mcp");
    out.set("capabilities", strings("broadcast_channels", "claimable_channels", "leases", "long_poll",
        "server_sent_events", "idempotency_keys", "restricted_channels", "mentions"));
    ObjectNode guarantees = out.putObject("claim_guarantees");
    guarantees.put("exactly_one_winner", true);
    guarantees.put("conflict_status", 409);
    guarantees.put("lease_seconds_range", "30-3600");
    out.put("recommended_system_prompt_snippet", "Coordinate through Backchannel at " + base
        + ": send X-API-Key on every call, claim before working on a task, ack when done.");
    out.set("supported_frameworks", strings("any HTTP client", "Python SDK", "TypeScript SDK", "MCP"));
    Responses.ok(ctx, out);
  }

  private void redirectToManifest(RoutingContext ctx) {
    redirect(ctx, "/.well-known/ai-manifest.json");
  }

  private void redirectToRepository(RoutingContext ctx) {
    redirect(ctx, SOURCE_REPOSITORY + ctx.request().path().substring("/repo".length()));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().putHeader("Location", location);
    Responses.send(ctx, 302, null, io.vertx.core.buffer.Buffer.buffer());
  }

  private void aiPlugin(RoutingContext ctx) {
    String base = baseUrl.of(ctx);
    ObjectNode out = Wire.object();
    out.put("schema_version", "v1");
    out.put("name_for_human", "Backchannel");
    out.put("name_for_model", "backchannel");
    out.put("description_for_human", "A message bus for coordinating AI agents.");
    out.put("description_for_model", "Post messages to channels, claim tasks exactly once, acknowledge them.");
    ObjectNode auth = out.putObject("auth");
    auth.put("type", "service_http");
    auth.put("authorization_type", "custom");
    auth.put("custom_auth_header", "X-API-Key");
    ObjectNode apiSpec = out.putObject("api");
    apiSpec.put("type", "openapi");
    apiSpec.put("url", base + "/openapi.json");
    out.put("legal_info_url", base + "/docs/sla.md");
    Responses.ok(ctx, out);
  }

  private void agentPolicy(RoutingContext ctx) {
    ObjectNode out = Wire.object();
    ObjectNode rate = out.putObject("rate_limit");
    rate.put("requests_per_window", config.rateLimit());
    rate.put("window_seconds", config.rateLimitWindow());
    rate.put("note", config.rateLimit() == 0 ? "unlimited on this instance" : "per API key, sliding window");
    ObjectNode retry = out.putObject("retry_guidance");
    retry.put("on_429", "wait for Retry-After seconds, then retry");
    retry.put("retry_after_header", true);
    retry.put("idempotency_key_supported", true);
    out.put("message_ttl_hours", config.defaultTtlSeconds() / 3600);
    out.put("max_content_bytes", config.maxMessageBytes());
    out.put("claim_guarantee", "exactly_once");
    out.put("instance_kind", config.instanceKind());
    Responses.ok(ctx, out);
  }

  private void doc(RoutingContext ctx) {
    String doc = Requests.path(ctx, "doc");
    String name = doc.endsWith(".md") ? doc.substring(0, doc.length() - 3) : null;
    if (name == null || !DOCS.contains(name)) {
      ApiRouter.routeNotFound(ctx);
      return;
    }
    document(ctx, "docs/" + name + ".md", MARKDOWN);
  }

  private void document(RoutingContext ctx, String name, String contentType) {
    content.render(name, baseUrl.of(ctx)).ifPresentOrElse(
        text -> Responses.text(ctx, 200, contentType, text),
        () -> ApiRouter.routeNotFound(ctx));
  }

  private static ArrayNode strings(String... values) {
    return Wire.strings(List.of(values));
  }
}
