package dev.backchannel.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every route the API serves, as (method, template) with {@code {param}} placeholders. It drives
 * the Vert.x router, CORS preflights (any known path), metrics labels and the OpenAPI check.
 */
public final class RouteTable {
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
  private static final String TEMPLATE = "backchannel.route";

  private final Router router;
  private final List<Entry> entries = new ArrayList<>();

  public RouteTable(Router router) {
    this.router = router;
  }

  /** A served route: method and template. */
  public record Entry(HttpMethod method, String template, Pattern pattern) {
    boolean matches(String path) {
      return pattern.matcher(path).matches();
    }
  }

  Route add(HttpMethod method, String template) {
    String vertxPath = PARAM.matcher(template).replaceAll(":$1");
    String regex = "\\Q" + PARAM.matcher(template).replaceAll("\\\\E[^/]+\\\\Q") + "\\E";
    if (template.endsWith("/*")) {
      regex = "\\Q" + template.substring(0, template.length() - 2) + "\\E(/.*)?";
    }
    entries.add(new Entry(method, template, Pattern.compile(regex)));
    // The name is what vertx-web reports as the matched route: Vert.x's own HTTP metrics use it
    // as their route label, so it must be the bounded template, never the raw path.
    return router.route(method, vertxPath).setName(metricsPath(template)).handler(ctx -> {
      ctx.put(TEMPLATE, template);
      ctx.next();
    });
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public boolean matchesAny(String path) {
    for (Entry entry : entries) {
      if (entry.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The template of the route that handled the request, e.g. {@code /v1/channels/{channel}}. */
  public static String template(RoutingContext ctx) {
    String template = ctx.get(TEMPLATE);
    return template == null ? "unmatched" : template;
  }

  /** The metrics label of a template: every parameter becomes {@code {id}} (contract §5.15). */
  public static String metricsPath(String template) {
    return PARAM.matcher(template).replaceAll("{id}");
  }
}
