package dev.backchannel.http;

import dev.backchannel.network.Cidr;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The client's IP address (contract §5.10): the TCP peer, unless the peer is a trusted proxy;
 * then the right-most {@code X-Forwarded-For} hop that is not itself a trusted proxy.
 */
public final class ClientAddress {
  private final List<Cidr> trustedProxies;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /** Resolves the client address and records whether the peer is trusted. */
  public void attach(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    String peer = remote == null ? "unknown" : remote.hostAddress();
    boolean trusted = Cidr.anyContains(trustedProxies, peer);
    ctx.put(Requests.TRUSTED_PEER, trusted);
    ctx.put(Requests.CLIENT_IP, trusted ? forwardedClient(ctx, peer) : peer);
  }

  private String forwardedClient(RoutingContext ctx, String peer) {
    List<String> headers = ctx.request().headers().getAll("X-Forwarded-For");
    if (headers.isEmpty()) {
      return peer;
    }
    String[] hops = String.join(",", headers).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !Cidr.anyContains(trustedProxies, hop)) {
        return hop;
      }
    }
    return peer;
  }
}
