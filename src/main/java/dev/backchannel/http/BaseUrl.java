package dev.backchannel.http;

import dev.backchannel.config.Config;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The base URL this server advertises in documents, manifests and errors (contract §5.16). */
public final class BaseUrl {
  private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9._-]+(:[0-9]{1,5})?$");

  private final String configured;
  private final List<String> allowedHosts;
  private final String fallback;

  public BaseUrl(Config config, int port) {
    this.configured = stripSlash(config.baseUrl());
    this.allowedHosts = config.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.fallback = "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port;
  }

  public String of(RoutingContext ctx) {
    if (!configured.isEmpty()) {
      return configured;
    }
    boolean trusted = Requests.fromTrustedProxy(ctx);
    String host = firstValue(trusted ? ctx.request().getHeader("X-Forwarded-Host") : null);
    if (host == null) {
      host = ctx.request().getHeader("Host");
    }
    String scheme = trusted ? forwardedScheme(ctx) : null;
    if (scheme == null) {
      scheme = ctx.request().isSSL() ? "https" : "http";
    }
    String advertised = allowed(host);
    return advertised == null ? fallback : scheme + "://" + advertised;
  }

  /** Whether the request arrived over HTTPS, directly or as told by a trusted proxy (§10.2 #12). */
  public static boolean isHttps(RoutingContext ctx) {
    if (ctx.request().isSSL()) {
      return true;
    }
    return Requests.fromTrustedProxy(ctx) && "https".equals(forwardedScheme(ctx));
  }

  private static String forwardedScheme(RoutingContext ctx) {
    String proto = firstValue(ctx.request().getHeader("X-Forwarded-Proto"));
    if (proto == null) {
      return null;
    }
    proto = proto.toLowerCase(Locale.ROOT);
    return proto.equals("http") || proto.equals("https") ? proto : null;
  }

  private String allowed(String host) {
    boolean valid = host != null && HOST.matcher(host).matches();
    if (allowedHosts.isEmpty()) {
      return valid ? host : null;
    }
    if (valid) {
      String lower = host.toLowerCase(Locale.ROOT);
      String bare = lower.contains(":") ? lower.substring(0, lower.indexOf(':')) : lower;
      if (allowedHosts.contains(lower) || allowedHosts.contains(bare)) {
        return host;
      }
    }
    return allowedHosts.get(0);
  }

  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    String first = header.split(",", 2)[0].trim();
    return first.isEmpty() ? null : first;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
