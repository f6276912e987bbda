package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.GET;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The web console: one page, its script and its style sheet, read from the jar once. */
final class ConsoleRoutes implements RouteGroup {
  private static final Map<String, String> TYPES = Map.of(
      "console.html", PublicRoutes.HTML,
      "console.js", PublicRoutes.SCRIPT,
      "console.css", "text/css; charset=utf-8");
  private final Map<String, Buffer> assets;

  ConsoleRoutes() {
    this.assets = Map.of(
        "console.html", read("console.html"),
        "console.js", read("console.js"),
        "console.css", read("console.css"));
  }

  @Override
  public void mount(Api api) {
    api.open(GET, "/console", ctx -> serve(ctx, "console.html"));
    api.open(GET, "/console/{asset}", ctx -> serve(ctx, Requests.path(ctx, "asset")));
  }

  private void serve(RoutingContext ctx, String name) {
    Buffer asset = name.equals("console.html") && !ctx.request().path().equals("/console") ? null : assets.get(name);
    if (asset == null) {
      ApiRouter.routeNotFound(ctx);
      return;
    }
    ctx.response().putHeader("Cache-Control", "no-cache");
    Responses.send(ctx, 200, TYPES.get(name), asset.copy());
  }

  private static Buffer read(String name) {
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console/" + name + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
