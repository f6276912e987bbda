package dev.backchannel.http;

import dev.backchannel.Services;
import dev.backchannel.Version;
import dev.backchannel.config.Config;
import dev.backchannel.mcp.Loopback;
import dev.backchannel.mcp.McpProtocol;
import dev.backchannel.mcp.McpSessions;
import dev.backchannel.mcp.ToolCalls;
import dev.backchannel.mcp.ToolCatalog;
import dev.backchannel.network.Cidr;
import dev.backchannel.ops.Metrics;
import dev.backchannel.stream.LongPoll;
import dev.backchannel.stream.StreamLimits;
import dev.backchannel.time.Ticker;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Wires the services into the HTTP layer: limiters, idempotency, route groups, server options. */
public final class HttpApp {
  private static final long MCP_KEEP_ALIVE_MILLIS = 10_000;

  private HttpApp() {}

  public static HttpDeps deps(Services s, Config config, Clock clock, Ticker ticker, Metrics metrics,
      Handler<RoutingContext> metricsScrape) {
    RateLimiter perKey = new RateLimiter("per_key", config.rateLimit(), config.rateLimitWindow(), clock);
    RateLimiter mint = new RateLimiter("key_mint", config.keyMintLimit(), config.keyMintWindow(), clock);
    RateLimiter invitations = new RateLimiter("invitation_lookup", config.invitationLookupLimit(), 60, clock);
    Idempotency idempotency = new Idempotency(s.store(), s.idempotency(), config.idempotencyTtl(), metrics);
    BaseUrl baseUrl = new BaseUrl(config, config.port());
    PublicContent content = new PublicContent(config);
    WireFrames frames = new WireFrames(clock);
    StreamLimits streamLimits = new StreamLimits(config.streamMaxPerKey(), config.streamMaxTotal());
    AtomicInteger waiters = new AtomicInteger();
    metrics.longPollWaiters(waiters::get);
    McpSessions mcpSessions = new McpSessions(clock);
    ToolCatalog mcpTools = ToolCatalog.load();
    AtomicReference<ToolCalls> mcpCalls = new AtomicReference<>();
    ConsoleRoutes console = new ConsoleRoutes();
    long mcpKeepAlive = Math.min(MCP_KEEP_ALIVE_MILLIS, config.heartbeatCeiling().toMillis());
    Duration waitCap = Duration.ofSeconds(config.longpollEnabled() ? config.longpollMaxWaitSeconds() : 0);
    return new HttpDeps(config, s.keys(), perKey, idempotency,
        new ClientAddress(Cidr.parseAll(config.trustedProxies())), baseUrl, metrics, ticker, frames, hub -> {
          LongPoll longPoll = new LongPoll(hub.vertx(), hub, waiters, config.longpollMaxWaiters(), waitCap);
          ClaimRoutes claimRoutes = new ClaimRoutes(s.claims(), s.queues(), clock);
          MessageRoutes messageRoutes = new MessageRoutes(s.messages(), s.agents(), longPoll, config.maxMessageBytes(),
              clock);
          return List.of(
              new PublicRoutes(s.store(), s.messages(), s.keys(), s.cleanup(), config, baseUrl, content, metricsScrape, clock),
              new KeyRoutes(s.keys(), mint, config, metrics),
              new ChannelRoutes(s.channels(), clock),
              new MembershipRoutes(s.memberships(), invitations, config.invitationOnboardingUrl(), clock, metrics),
              messageRoutes,
              claimRoutes,
              new QueueRoutes(s.queues(), longPoll, claimRoutes, clock),
              new TaskRoutes(s.tasks(), s.messages(), s.claims(), messageRoutes, longPoll, config.maxMessageBytes(),
                  clock),
              new ActorRoutes(s.actors()),
              new SessionRoutes(s.sessions()),
              new AccountRoutes(s.channels(), s.audit(), config),
              new StreamRoutes(hub, s.channels(), s.keys(), s.streams(), streamLimits, frames, config, metrics, clock),
              new AgentRoutes(s.agents(), hub, longPoll, streamLimits, frames, config, metrics, clock),
              new InboxRoutes(s.agents(), clock),
              new MentionClaimRoutes(s.agents(), clock),
              new OpsRoutes(s.backups()),
              console,
              new McpRoutes(s.keys(), mcpSessions, new McpProtocol(mcpTools,
                  mcpCalls.updateAndGet(calls -> calls != null ? calls
                      : new ToolCalls(hub.vertx(), new Loopback(hub.vertx()))), Version.VALUE), mcpKeepAlive));
        });
  }

  public static HttpServerOptions serverOptions(Config config) {
    return new HttpServerOptions()
        .setHost(config.host())
        // Vert.x shares one random port among servers that ask for the same negative port.
        .setPort(config.port() == 0 ? -1 : config.port())
        .setReuseAddress(true)
        .setTcpNoDelay(true)
        // Every request and response is handled on its connection's event loop (stream writes
        // too: each loop's hub writes to its own connections), which lets Vert.x write straight
        // to the socket instead of through a queue per connection (4.7 KB each, most of an
        // idle stream's memory).
        .setStrictThreadMode(true)
        .setAcceptBacklog(8192)
        // Closes connections that send and receive nothing (a client that connects and stays
        // silent, or stops mid-request). Streams send heartbeats and long-polls answer well
        // within it: ConfigLoader keeps it above both.
        .setIdleTimeout(config.httpIdleTimeoutSeconds())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setDecompressionSupported(false)
        .setCompressionSupported(false)
        // No route speaks WebSocket; with either option on, Vert.x puts a WebSocket extension
        // handler in every connection's pipeline, which every stream write then passes through.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }
}
