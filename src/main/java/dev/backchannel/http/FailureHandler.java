package dev.backchannel.http;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.ops.LogFields;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Renders every failure as the error envelope. Unknown failures become a generic 500 whose
 * details go to the log only, never to the client.
 */
final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = Logger.getLogger(FailureHandler.class.getName());
  private final BaseUrl baseUrl;

  FailureHandler(BaseUrl baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiException error = toApi(ctx.failure(), ctx.statusCode(), ctx);
    Responses.error(ctx, error, baseUrl.of(ctx));
  }

  private static ApiException toApi(Throwable failure, int status, RoutingContext ctx) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (isBrokenFraming(failure)) {
      return ApiError.BAD_REQUEST.exception("The request body is not valid HTTP framing");
    }
    int code = failure instanceof HttpException http ? http.getStatusCode() : status;
    switch (code) {
      case 400:
        return ApiError.INVALID_JSON.exception("The request could not be read");
      case 413:
        return ApiError.PAYLOAD_TOO_LARGE.exception("Request body is larger than this server accepts");
      case 414:
        return ApiError.URI_TOO_LONG.exception();
      case 431:
        return ApiError.HEADERS_TOO_LARGE.exception();
      default:
        logUnexpected(ctx, failure);
        return ApiError.INTERNAL_SERVER_ERROR.exception("Internal server error; quote the request_id when reporting it");
    }
  }

  /**
   * The HTTP decoder fails a request whose head was fine but whose body framing is not (an
   * invalid chunk size, say) after routing began; that is the client's error, not ours.
   */
  static boolean isBrokenFraming(Throwable failure) {
    StackTraceElement[] trace = failure == null ? new StackTraceElement[0] : failure.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("io.netty.handler.codec.http.");
  }

  private static void logUnexpected(RoutingContext ctx, Throwable failure) {
    String requestId = Requests.requestId(ctx);
    LogFields.of("request_id", requestId).log(LOG, Level.SEVERE,
        "request " + requestId + " " + ctx.request().method() + " " + RouteTable.template(ctx) + " failed", failure);
  }
}
