package dev.backchannel.reliability;

import static dev.backchannel.reliability.HostileInput.pick;
import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.http.RouteTable;
import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed and hostile requests to every route the server serves ({@link RouteTable}), path
 * parameters filled with real and hostile ids: broken and deeply nested JSON, numbers no field
 * takes, wrong types, invalid UTF-8, control characters, SQL and path tricks, oversize headers
 * and bodies, unknown methods, wrong content types, duplicate keys, broken framing. Every answer
 * is below 500 and every 4xx carries {@code {error, message}}; the server stays up; the data of
 * an owner the fuzzer holds no key of is unchanged. Seed and size:
 * {@code -Dreliability.fuzz.seed=…}, {@code -Dreliability.fuzz.requests=…} (default 10,000).
 */
class BadInputFuzzTest extends ApiTest {
  private static final int RAW_PERCENT = 15;
  private static final int WORKERS = 2;
  private static final int SMUGGLED_CHUNKS = 6;
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD",
      "PROPFIND", "FOO");
  private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/xml", "garbage/;;;",
      "application/json; charset=utf-8; charset=utf-16");
  private static final List<String> QUERIES = List.of("cursor=1e400", "limit=-1", "limit=abc", "limit=1e400",
      "wait=NaN", "wait=-0", "status=%27%3B%20DROP", "since=%00", "token=..%2F..%2F", "unread_for=%00",
      "cursor=9223372036854775808", "expiring_before=yesterday", "limit=100&limit=1", "events=a,b,%00");
  private static final HttpClient HTTP = newClient();

  /** HTTP/1.1 with pooled keep-alive connections, as most clients of the API use it. */
  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private final List<String> ids = new ArrayList<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
  private RawHttp raw;

  @Override
  protected Map<String, String> settings() {
    // Valid long-polls the fuzzer happens to send end within a second.
    return Map.of("longpoll_max_wait_seconds", "1");
  }

  @Test
  @Timeout(600)
  void hostileRequestsToEveryRouteAreRefusedClearlyAndChangeNothing() throws Exception {
    long seed = Seeds.seed("reliability.fuzz.seed", "BadInputFuzzTest");
    int requests = Seeds.count("reliability.fuzz.requests", 10_000);
    Victim victim = victim();
    JsonNode before = victim.snapshot();
    String ownerOfTargets = newKey();
    String own = claimableChannel(ownerOfTargets);
    ids.add(own);
    ids.add(postId(ownerOfTargets, own, "fuzz target"));
    raw = new RawHttp(server.port());
    List<RouteTable.Entry> routes = server.server().routes();

    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      Probes probes = new Probes(new Random(seed + w), routes);
      int share = requests / WORKERS + (w < requests % WORKERS ? 1 : 0);
      done.add(workers.submit(() -> probes.run(share)));
    }
    for (Future<?> worker : done) {
      worker.get(540, TimeUnit.SECONDS);
    }
    workers.shutdown();

    System.out.println("BadInputFuzzTest: " + requests + " requests over " + routes.size() + " routes, answers "
        + outcomes);
    assertThat(failures).as("failures with seed %d", seed).isEmpty();
    assertThat(api.get("/health").send().status()).isEqualTo(200);
    assertThat(victim.snapshot()).as("data the fuzzer holds no key of").isEqualTo(before);
  }

  @Test
  void aFormContentTypeOnAReadIsIgnoredAndBrokenChunksAreTheClientsError() {
    for (String type : List.of("multipart/form-data; boundary=x", "application/x-www-form-urlencoded")) {
      assertThat(api.get("/health").header("Content-Type", type).send().status()).isEqualTo(200);
      assertThat(api.method("OPTIONS", "/v1/channels", null).header("Content-Type", type).send().status())
          .isEqualTo(204);
    }
    String key = newKey();
    RawHttp.Answer answer = new RawHttp(server.port()).send(ascii("POST /v1/channels HTTP/1.1\r\nHost: x\r\nX-API-Key: "
        + key + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    assertThat(answer.timedOut()).isFalse();
    if (!answer.closedWithoutAnswer()) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    }
  }

  /** Data of an owner whose key the fuzzer never uses, in a restricted channel. */
  private record Victim(ApiClient api, String key, String channel, String actor) {
    JsonNode snapshot() {
      ObjectNode all = json();
      all.set("channel", api.get("/v1/channels/" + channel).key(key).send().json());
      all.set("messages", api.get("/v1/channels/" + channel + "/messages?limit=100").key(key).send().json());
      all.set("key", api.get("/v1/keys/me").key(key).send().json());
      JsonNode actorNow = api.get("/v1/actors/" + actor).key(key).send().json().deepCopy();
      // contract §4.8 [QUIRK]: any key may add an alias to any actor, so aliases are not the owner's alone.
      ((ObjectNode) actorNow).remove("aliases");
      all.set("actor", actorNow);
      return all;
    }
  }

  private Victim victim() {
    String key = newKey();
    String channel = claimableChannel(key, "access", "restricted");
    String actor = api.post("/v1/actors", json("name", "victim")).key(key).send().text("id");
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      messages.add(postId(key, channel, "victim message " + i));
    }
    Response lease = api.post("/v1/messages/" + messages.get(0) + "/claim-with-lease", json("actor", "victim"))
        .key(key).send();
    api.post("/v1/messages/" + messages.get(1) + "/ack", json("actor", "victim")).key(key).send();
    ids.addAll(List.of(channel, actor, lease.text("lease_token"), messages.get(0), messages.get(2)));
    ids.add(api.get("/v1/keys/me").key(key).send().text("key_id"));
    return new Victim(api, key, channel, actor);
  }

  /** One worker's stream of probes: its own seeded choices and its own key. */
  private final class Probes {
    private final Random random;
    private final List<RouteTable.Entry> routes;
    private String fuzzKey = newKey();

    Probes(Random random, List<RouteTable.Entry> routes) {
      this.random = random;
      this.routes = routes;
    }

    void run(int requests) {
      for (int i = 0; i < requests && failureCount() < 25; i++) {
        RouteTable.Entry route = pick(random, routes);
        if (random.nextInt(100) < RAW_PERCENT) {
          rawProbe(random, route);
        } else {
          httpProbe(random, route);
        }
      }
    }

    private void httpProbe(Random random, RouteTable.Entry route) {
      String method = random.nextInt(10) == 0 ? pick(random, METHODS) : route.method().name();
      String path = fill(route.template(), random) + (random.nextInt(4) == 0 ? "?" + pick(random, QUERIES) : "");
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
          .timeout(Duration.ofSeconds(30));
      int auth = random.nextInt(10);
      if (auth < 7) {
        request.header("X-API-Key", fuzzKey);
      } else if (auth < 9) {
        request.header("X-API-Key", pick(random, List.of("bck_nope", "x".repeat(300), "' OR 1=1 --", fuzzKey + "x")));
      }
      if (random.nextInt(10) > 0) {
        request.header("Content-Type", random.nextInt(3) > 0 ? "application/json" : pick(random, CONTENT_TYPES));
      }
      if (random.nextInt(10) == 0) {
        request.header("Idempotency-Key", random.nextBoolean() ? "k".repeat(400) : "'; DROP TABLE idempotency_records");
      }
      byte[] body = body(random);
      request.method(method, body.length == 0 && random.nextBoolean() ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      String what = method + " " + abbreviate(path) + " " + abbreviate(new String(body, StandardCharsets.UTF_8));
      try {
        HttpResponse<InputStream> response = send(request.build());
        try (InputStream in = response.body()) {
          // A 2xx may be an endless event stream: only error bodies are read.
          String text = response.statusCode() >= 400 ? new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8) : "";
          check(what, response.statusCode(), text, method.equals("HEAD"));
        }
        if (response.statusCode() < 300 && route.template().startsWith("/v1/keys/me") && !method.equals("GET")) {
          fuzzKey = newKey(); // the fuzzer revoked or narrowed its own key: carry on with a fresh one
        }
      } catch (IOException e) {
        failures.add(what + " → no answer: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * Sends on the shared client's pooled connections. A request that meets a pooled connection
     * the server closed at that instant gets no bytes at all; it is sent once more on a fresh
     * connection, where a server that really drops it fails again.
     */
    private HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
          throw e;
        }
        count("stale connection, sent again");
        return newClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
      }
    }

    private byte[] body(Random random) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        return HostileInput.objectBody(random).getBytes(StandardCharsets.UTF_8);
      } else if (kind < 7) {
        return HostileInput.brokenBody(random).getBytes(StandardCharsets.UTF_8);
      } else if (kind == 7) {
        return HostileInput.invalidUtf8Body(random);
      } else if (kind == 8) {
        return ("{\"content\":\"" + "y".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
      }
      return new byte[0];
    }

    /** Requests java.net.http cannot send: bad bytes in the head, oversize heads, odd methods, broken framing. */
    private void rawProbe(Random random, RouteTable.Entry route) {
      String path = fill(route.template(), random);
      String key = "X-API-Key: " + fuzzKey + "\r\n";
      byte[] json = "{\"content\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
      int shape = random.nextInt(12);
      byte[] request = switch (shape) {
        case 0 -> RawHttp.request("GET " + path + "\u00ff\u00fe%zz HTTP/1.1", key, new byte[0]);
        case 1 -> RawHttp.request(route.method() + " " + path + " HTTP/1.1", "X-API-Key: \u00ff\u00fe\u0080\r\n", json);
        case 2 -> RawHttp.request(route.method() + " " + path + " HTTP/1.1", key + "X-Pad: " + "p".repeat(20_000) + "\r\n",
            json);
        case 3 -> RawHttp.request("GET /" + "a".repeat(10_000) + " HTTP/1.1", key, new byte[0]);
        case 4 -> RawHttp.request(pick(random, List.of("FOO", "PROPFIND", "BREW", "get", "M-SEARCH", "PRI")) + " " + path
            + " HTTP/1.1", key, json);
        case 5 -> ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + key + "Content-Length: abc\r\n\r\n{}");
        case 6 -> ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + key
            + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        case 7 -> ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + key
            + "Content-Length: 2\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{}");
        case 8 -> ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\n\r\n");
        case 9 -> RawHttp.request(route.method() + " " + path + " HTTP/1.1", key + "X-Nul: a\u0000b\r\n", json);
        case 10 -> RawHttp.request(route.method() + " " + path + " HTTP/1.1", key, HostileInput.invalidUtf8Body(random));
        default -> ascii("\u0000\u0001\u0002 garbage \r\n\r\n");
      };
      String what = "raw " + abbreviate(new String(request, StandardCharsets.ISO_8859_1));
      RawHttp.Answer answer = raw.send(request);
      if (answer.timedOut()) {
        failures.add(what + " → no answer within 15 s");
      } else if (answer.closedWithoutAnswer() && shape == SMUGGLED_CHUNKS) {
        // Content-Length and a broken chunked body together: the server drops the connection.
        count("closed");
      } else if (answer.closedWithoutAnswer()) {
        failures.add(what + " → closed without an answer");
      } else {
        check(what, answer.status(), answer.body(), false);
      }
    }
  }

  private void check(String what, int status, String body, boolean head) {
    count(Integer.toString(status));
    if (status >= 500) {
      failures.add(what + " → " + status + " " + abbreviate(body));
    } else if (status >= 400 && !head) {
      try {
        JsonNode error = ApiClient.JSON.readTree(body);
        if (!error.path("error").isTextual() || !error.path("message").isTextual()) {
          failures.add(what + " → " + status + " without {error, message}: " + abbreviate(body));
        }
      } catch (IOException e) {
        failures.add(what + " → " + status + " with a body that is not JSON: " + abbreviate(body));
      }
    }
  }

  /** The template with each parameter a real id (of any kind) or a hostile segment. */
  private String fill(String template, Random random) {
    String path = template.endsWith("/*") ? template.substring(0, template.length() - 2) + "/"
        + HostileInput.hostileSegment(random) : template;
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int open = path.indexOf('{'); open >= 0; open = path.indexOf('{', at)) {
      out.append(path, at, open);
      out.append(random.nextInt(10) < 6 ? pick(random, ids) : HostileInput.hostileSegment(random));
      at = path.indexOf('}', open) + 1;
    }
    return out.append(path.substring(at)).toString();
  }

  private void count(String outcome) {
    synchronized (outcomes) {
      outcomes.merge(outcome, 1, Integer::sum);
    }
  }

  private int failureCount() {
    return failures.size();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + " chars)";
  }
}
