package dev.backchannel.http;

import dev.backchannel.http.MatrixWorld.Kind;
import dev.backchannel.http.MatrixWorld.Who;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Call;
import dev.backchannel.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One row of the authorization matrix: a route with one way of calling it, and the expected
 * answer per channel kind and caller.
 */
final class MatrixRow {
  private static final Who[] GIVEN = {Who.OWNER, Who.MEMBER, Who.STRANGER};
  private static final Who[] UNAUTHENTICATED = {Who.REVOKED, Who.NO_KEY, Who.MALFORMED, Who.ADMIN};

  private final String route;
  private final Function<MatrixWorld, Call> request;
  private final Map<Kind, Map<Who, String>> expected = new EnumMap<>(Kind.class);
  private boolean freshKeys;
  private boolean streamed;

  private MatrixRow(String route, Function<MatrixWorld, Call> request) {
    this.route = route;
    this.request = request;
  }

  String route() {
    return route;
  }

  MatrixRow any(String cells) {
    return given(Kind.NONE, cells);
  }

  MatrixRow open(String cells) {
    return given(Kind.OPEN, cells);
  }

  MatrixRow restricted(String cells) {
    return given(Kind.RESTRICTED, cells);
  }

  /** An admin row that acts on a channel: the same expectations on both kinds of channel. */
  MatrixRow onChannels() {
    Map<Who, String> cells = expected.remove(Kind.NONE);
    expected.put(Kind.OPEN, new EnumMap<>(cells));
    expected.put(Kind.RESTRICTED, new EnumMap<>(cells));
    return this;
  }

  /** The route answers with an event stream: only the status (and an error body) is read. */
  MatrixRow streamed() {
    streamed = true;
    return this;
  }

  /** The route changes the calling key itself, so each of its cells gets keys of its own. */
  MatrixRow freshKeys() {
    freshKeys = true;
    return this;
  }

  /** Overrides one caller's cell on every channel kind of the row. */
  MatrixRow caller(Who who, String status) {
    expected.values().forEach(cells -> cells.put(who, status));
    return this;
  }

  private MatrixRow given(Kind kind, String cells) {
    String[] statuses = cells.split(" ");
    for (int i = 0; i < GIVEN.length; i++) {
      expect(kind, GIVEN[i], statuses[i]);
    }
    for (Who who : UNAUTHENTICATED) {
      expect(kind, who, "401:unauthorized");
    }
    return this;
  }

  void expect(Kind kind, Who who, String status) {
    expected.computeIfAbsent(kind, k -> new EnumMap<>(Who.class)).put(who, status);
  }

  List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    expected.forEach((kind, byWho) -> byWho.forEach((who, status) -> cells.add(new Cell(this, kind, who, status))));
    return cells;
  }

  static MatrixRow open(String route, Function<MatrixWorld, Call> request, String status) {
    MatrixRow row = new MatrixRow(route, request);
    for (Who who : Who.values()) {
      row.expect(Kind.NONE, who, status);
    }
    return row;
  }

  static MatrixRow admin(String route, Function<MatrixWorld, Call> request, String status) {
    MatrixRow row = new MatrixRow(route, request);
    for (Who who : Who.values()) {
      row.expect(Kind.NONE, who, who == Who.ADMIN ? status : "401:admin_unauthorized");
    }
    return row;
  }

  static MatrixRow keyed(String route, Function<MatrixWorld, Call> request) {
    return new MatrixRow(route, request);
  }

  /** One request: a route, a kind of channel, a caller, and the answer it must get. */
  record Cell(MatrixRow row, Kind kind, Who who, String expected) {
    String mismatch(ApiClient api, String adminToken, MatrixWorld.Keys sharedKeys) {
      try {
        MatrixWorld.Keys keys = row.freshKeys ? new MatrixWorld.Keys(api) : sharedKeys;
        MatrixWorld world = new MatrixWorld(api, adminToken, kind, keys);
        Call call = world.as(who, row.request.apply(world));
        Response response = row.streamed ? call.sendForStatus() : call.send();
        String actual = describe(response);
        return expected.equals(actual) ? null
            : label() + ": expected " + expected + ", got " + actual + " " + abbreviate(response.body());
      } catch (RuntimeException e) {
        return label() + ": " + e.getMessage();
      }
    }

    private static String describe(Response response) {
      if (response.status() < 400) {
        return Integer.toString(response.status());
      }
      return response.status() + ":" + response.error();
    }

    private static String abbreviate(String body) {
      return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }

    private String label() {
      return row.route + " [" + kind.name().toLowerCase() + "] as " + who.name().toLowerCase();
    }
  }
}
