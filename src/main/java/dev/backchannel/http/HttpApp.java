package dev.backchannel.http;

import dev.backchannel.Services;
import dev.backchannel.config.Config;
import dev.backchannel.network.Cidr;
import dev.backchannel.ops.Metrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/** Wires the services into the HTTP layer: limiters, idempotency, route groups, server options. */
public final class HttpApp {
  private HttpApp() {}

  public static HttpDeps deps(Services s, Config config, Clock clock, Metrics metrics,
      Handler<RoutingContext> metricsScrape) {
    RateLimiter perKey = new RateLimiter("per_key", config.rateLimit(), config.rateLimitWindow(), clock);
    RateLimiter mint = new RateLimiter("key_mint", config.keyMintLimit(), config.keyMintWindow(), clock);
    RateLimiter invitations = new RateLimiter("invitation_lookup", config.invitationLookupLimit(), 60, clock);
    Idempotency idempotency = new Idempotency(s.store(), clock, s.idempotency(), config.idempotencyTtl(), metrics);
    BaseUrl baseUrl = new BaseUrl(config, config.port());
    PublicContent content = new PublicContent(config);
    return new HttpDeps(config, s.keys(), perKey, idempotency,
        new ClientAddress(Cidr.parseAll(config.trustedProxies())), baseUrl, metrics, () -> {
          MessageRoutes messageRoutes = new MessageRoutes(s.messages(), config.maxMessageBytes(), clock);
          return List.of(
              new PublicRoutes(s.store(), s.keys(), s.cleanup(), config, baseUrl, content, metricsScrape, clock),
              new KeyRoutes(s.keys(), mint, config, metrics),
              new ChannelRoutes(s.channels(), clock),
              new MembershipRoutes(s.memberships(), invitations, config.invitationOnboardingUrl(), clock, metrics),
              messageRoutes,
              new ClaimRoutes(s.claims(), clock),
              new TaskRoutes(s.tasks(), s.messages(), s.claims(), messageRoutes, config.maxMessageBytes(), clock),
              new ActorRoutes(s.actors()),
              new SessionRoutes(s.sessions()),
              new AccountRoutes(s.channels(), s.audit(), config));
        });
  }

  public static HttpServerOptions serverOptions(Config config) {
    return new HttpServerOptions()
        .setHost(config.host())
        // Vert.x shares one random port among servers that ask for the same negative port.
        .setPort(config.port() == 0 ? -1 : config.port())
        .setReuseAddress(true)
        .setTcpNoDelay(true)
        .setAcceptBacklog(8192)
        .setIdleTimeout(120)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setDecompressionSupported(false)
        .setCompressionSupported(false);
  }
}
