package dev.backchannel.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.key.Caller;
import dev.backchannel.session.SessionService;
import io.vertx.ext.web.RoutingContext;

/** Per-key sessions (contract §4.10). */
final class SessionRoutes implements RouteGroup {
  private final SessionService sessions;

  SessionRoutes(SessionService sessions) {
    this.sessions = sessions;
  }

  @Override
  public void mount(Api api) {
    api.keyed(GET, "/v1/sessions", this::list);
    api.keyed(POST, "/v1/sessions", this::create);
    api.keyed(GET, "/v1/sessions/{session_id}", this::get);
    api.keyed(PATCH, "/v1/sessions/{session_id}", this::patch);
    api.keyed(DELETE, "/v1/sessions/{session_id}", this::delete);
  }

  private void list(RoutingContext ctx) {
    Api.respond(ctx, sessions.list(Requests.caller(ctx)), 200, list -> {
      ObjectNode out = Wire.object();
      out.set("data", Wire.array(list, Wire::session));
      return out;
    });
  }

  private void create(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    String name = body.requiredString("name");
    ObjectNode state = body.objectOrEmpty("state");
    Caller caller = Requests.caller(ctx);
    Api.write(ctx, tx -> sessions.create(tx, caller, name, state), 201, Wire::session);
  }

  private void get(RoutingContext ctx) {
    Api.respond(ctx, sessions.get(Requests.caller(ctx), id(ctx)), 200, Wire::session);
  }

  /** A {@code state} object is merged; without one, the whole body is merged as state (contract §4.10). */
  private void patch(RoutingContext ctx) {
    Body body = Requests.body(ctx);
    ObjectNode changes = body.has("state") ? body.objectOrEmpty("state") : body.root();
    Caller caller = Requests.caller(ctx);
    String id = id(ctx);
    Api.write(ctx, tx -> sessions.merge(tx, caller, id, changes), 200, Wire::session);
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Requests.caller(ctx);
    String id = id(ctx);
    Api.write(ctx, tx -> sessions.delete(tx, caller, id), 200, v -> {
      ObjectNode out = Wire.object();
      out.put("status", "deleted");
      return out;
    });
  }

  private static String id(RoutingContext ctx) {
    return Requests.path(ctx, "session_id");
  }
}
