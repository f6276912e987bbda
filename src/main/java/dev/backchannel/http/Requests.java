package dev.backchannel.http;

import dev.backchannel.key.Caller;
import dev.backchannel.key.StreamTokens;
import io.vertx.ext.web.RoutingContext;

/** What earlier handlers attached to a request: its id, caller, parsed body, client address. */
public final class Requests {
  static final String REQUEST_ID = "backchannel.request_id";
  static final String CALLER = "backchannel.caller";
  static final String BODY = "backchannel.body";
  static final String CLIENT_IP = "backchannel.client_ip";
  static final String TRUSTED_PEER = "backchannel.trusted_peer";
  static final String STREAM_GRANT = "backchannel.stream_grant";

  private Requests() {}

  public static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }

  public static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      throw new IllegalStateException("route has no ApiKeyAuth guard");
    }
    return caller;
  }

  public static Caller callerOrNull(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** The JSON body, parsed once per request (contract §1.2). */
  public static Body body(RoutingContext ctx) {
    Body body = ctx.get(BODY);
    if (body == null) {
      body = Body.parse(ctx.body().buffer());
      ctx.put(BODY, body);
    }
    return body;
  }

  public static String path(RoutingContext ctx, String name) {
    return ctx.pathParam(name);
  }

  public static String clientIp(RoutingContext ctx) {
    return ctx.get(CLIENT_IP);
  }

  /** The stream token's grant when the request was authenticated by one, else null. */
  public static StreamTokens.Grant streamGrant(RoutingContext ctx) {
    return ctx.get(STREAM_GRANT);
  }

  /** Whether the TCP peer is a configured trusted proxy, whose X-Forwarded-* headers count. */
  public static boolean fromTrustedProxy(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(TRUSTED_PEER));
  }
}
