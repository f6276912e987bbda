package dev.backchannel.http;

import dev.backchannel.config.Config;
import dev.backchannel.key.KeyService;
import dev.backchannel.ops.Metrics;
import dev.backchannel.stream.Hub;
import dev.backchannel.time.Ticker;
import java.util.List;
import java.util.function.Function;

/**
 * What every HTTP verticle instance shares: configuration, the services behind the routes, and
 * the state that must be one per process (rate-limit windows, in-flight idempotent requests).
 *
 * @param routeGroups builds a fresh set of route groups for each router, around that event loop's hub
 */
public record HttpDeps(
    Config config,
    KeyService keys,
    RateLimiter perKeyLimiter,
    Idempotency idempotency,
    ClientAddress clientAddress,
    BaseUrl baseUrl,
    Metrics metrics,
    Ticker ticker,
    WireFrames frames,
    Function<Hub, List<RouteGroup>> routeGroups) {}
