package dev.backchannel.webhook;

import dev.backchannel.network.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be sent (contract §10.2 #16): http or https only, and only to public
 * addresses. The host is resolved on every attempt and every address it resolves to must be
 * public, unless its network is allow-listed ({@code webhook_allowed_networks}). The caller then
 * connects to the checked address itself, so a second DNS answer (rebinding) cannot send the
 * request somewhere else.
 */
public final class WebhookTargets {
  /** Resolves a host name to its addresses; blocking. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A checked target: connect to {@code address}, and name {@code host} in Host and TLS SNI. */
  public record Target(boolean https, String host, int port, String requestUri, InetAddress address) {}

  /** Why a URL may not be called. The message never contains the URL, which may carry a token. */
  public static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private record Blocked(Cidr network, String reason) {}

  // Order matters only for the reason given: metadata endpoints before their wider ranges.
  private static final List<Blocked> BLOCKED = List.of(
      blocked("169.254.169.254/32", "cloud metadata"),
      blocked("100.100.100.200/32", "cloud metadata"),
      blocked("192.0.0.192/32", "cloud metadata"),
      blocked("fd00:ec2::254/128", "cloud metadata"),
      blocked("0.0.0.0/8", "unspecified"),
      blocked("10.0.0.0/8", "private"),
      blocked("100.64.0.0/10", "shared (carrier-grade NAT)"),
      blocked("127.0.0.0/8", "loopback"),
      blocked("169.254.0.0/16", "link-local"),
      blocked("172.16.0.0/12", "private"),
      blocked("192.0.0.0/24", "reserved"),
      blocked("192.168.0.0/16", "private"),
      blocked("198.18.0.0/15", "reserved"),
      blocked("224.0.0.0/4", "multicast"),
      blocked("240.0.0.0/4", "reserved"),
      blocked("::/128", "unspecified"),
      blocked("::1/128", "loopback"),
      blocked("::/96", "IPv4-compatible"),
      blocked("100::/64", "discard"),
      blocked("fc00::/7", "private"),
      blocked("fe80::/10", "link-local"),
      blocked("fec0::/10", "site-local"),
      blocked("ff00::/8", "multicast"));
  private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

  private final List<Cidr> allowed;
  private final Resolver resolver;

  public WebhookTargets(List<Cidr> allowed, Resolver resolver) {
    this.allowed = List.copyOf(allowed);
    this.resolver = resolver;
  }

  /** The guard for production: the system resolver. */
  public static WebhookTargets system(List<Cidr> allowed) {
    return new WebhookTargets(allowed, InetAddress::getAllByName);
  }

  /** Parses the URL, resolves its host and checks every address. Blocking (DNS). */
  public Target check(String url) throws Refused {
    URI uri = parse(url);
    String host = bare(uri.getHost());
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new Refused("host does not resolve");
    }
    if (addresses == null || addresses.length == 0) {
      throw new Refused("host does not resolve");
    }
    for (InetAddress address : addresses) {
      String reason = forbidden(address);
      if (reason != null) {
        throw new Refused(reason + " address");
      }
    }
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new Target(https, host, port, requestUri, addresses[0]);
  }

  /** Why this address may not be called, or null when it may. */
  String forbidden(InetAddress address) {
    for (Cidr network : allowed) {
      if (network.contains(address)) {
        return null;
      }
    }
    InetAddress embedded = embeddedIpv4(address);
    if (embedded != null) {
      return forbidden(embedded);
    }
    for (Blocked blocked : BLOCKED) {
      if (blocked.network().contains(address)) {
        return blocked.reason();
      }
    }
    return null;
  }

  private static URI parse(String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw new Refused("not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("only http and https URLs are allowed");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("the URL names no host");
    }
    return uri;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
  private static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return null;
    }
    byte[] bytes = address.getAddress();
    boolean mapped = allZero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    boolean nat64 = Arrays.equals(Arrays.copyOf(bytes, 12), NAT64_PREFIX);
    try {
      if (mapped || nat64) {
        return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
      }
      if (bytes[0] == 0x20 && bytes[1] == 0x02) {
        return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 2, 6));
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
    return null;
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Blocked blocked(String cidr, String reason) {
    return new Blocked(Cidr.parse(cidr).orElseThrow(() -> new IllegalStateException("bad CIDR " + cidr)), reason);
  }
}
