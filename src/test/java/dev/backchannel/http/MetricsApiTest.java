package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /metrics after a scripted workload: counters, histograms, gauges and bounded labels. */
@Timeout(60)
class MetricsApiTest extends ApiTest {
  // Digit-free, so the upstream "segment with a digit" heuristic would have leaked it as a label.
  static final String CHANNEL_NAME = "metricsprobe";
  static final Logger MICROMETER = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  static final List<String> micrometerLog = new CopyOnWriteArrayList<>();
  static final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      micrometerLog.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  static final Level micrometerLevel = MICROMETER.getLevel();
  String owner;
  String worker;
  String labels;
  String queues;

  static {
    // Attached before the server starts, so a warning logged while it builds its meters is seen too.
    MICROMETER.setLevel(Level.ALL);
    MICROMETER.addHandler(capture);
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("metrics_channel_series", "2", "key_mint_limit", "4");
  }

  @BeforeAll
  void mintKeys() {
    // Exactly the minting budget (4 per address), so one more attempt is rate limited.
    owner = api.mintKey("metrics-owner");
    worker = api.mintKey("metrics-worker");
    labels = api.mintKey("metrics-labels");
    queues = api.mintKey("metrics-queues");
  }

  @AfterAll
  void detachCapture() {
    MICROMETER.removeHandler(capture);
    MICROMETER.setLevel(micrometerLevel);
  }

  @Test
  void workloadMovesEachCounterByWhatItDid() {
    String key = owner;
    String channelId = claimable(key, CHANNEL_NAME);
    Scrape before = Scrape.of(api);

    List<String> posted = postMessages(key, CHANNEL_NAME, 3);
    posted.addAll(postMessages(key, channelId, 2));
    assertThat(api.post("/v1/messages/" + posted.get(0) + "/claim", json()).key(key).send().status()).isEqualTo(200);
    assertThat(api.post("/v1/messages/" + posted.get(0) + "/claim", json()).key(worker).send().status()).isEqualTo(409);
    assertThat(api.get("/v1/keys/me").key("bck_nosuchkey.secret").send().status()).isEqualTo(401);
    assertThat(api.get("/v1/keys/me").key("malformed").send().status()).isEqualTo(401);
    assertThat(api.post("/v1/keys", json("agent_label", "metrics-fifth")).send().status()).isEqualTo(429);
    Scrape after = Scrape.of(api);

    assertThat(delta(before, after, "backchannel_messages_posted_total", "mode", "claimable")).isEqualTo(5);
    assertThat(delta(before, after, "backchannel_claims_total", "result", "claimed")).isEqualTo(1);
    assertThat(delta(before, after, "backchannel_claims_total", "result", "conflict")).isEqualTo(1);
    assertThat(delta(before, after, "backchannel_auth_failures_total")).isEqualTo(2);
    assertThat(delta(before, after, "backchannel_rate_limited_total", "limiter", "key_mint")).isEqualTo(1);
    assertThat(delta(before, after, "backchannel_requests_total",
        "method", "POST", "path", "/v1/channels/{id}/messages", "status", "201")).isEqualTo(5);
    assertThat(delta(before, after, "vertx_http_server_requests_total",
        "method", "POST", "route", "/v1/channels/{id}/messages", "code", "201")).isEqualTo(5);
    assertThat(delta(before, after, "backchannel_writer_batch_size_count")).isPositive();
  }

  @Test
  void histogramsAndProcessMetricsAreExported() {
    api.get("/health").send();
    Scrape scrape = Scrape.of(api);

    assertThat(scrape.text()).contains("# TYPE backchannel_requests_total counter");
    assertThat(scrape.has("backchannel_request_duration_seconds_bucket", "path", "/health", "le", "0.005")).isTrue();
    assertThat(scrape.has("backchannel_request_duration_seconds_bucket", "path", "/health", "le", "10.0")).isTrue();
    assertThat(scrape.has("backchannel_writer_batch_size_bucket", "le", "64.0")).isTrue();
    assertThat(scrape.has("backchannel_writer_commit_seconds_bucket", "le", "0.005")).isTrue();
    assertThat(scrape.has("vertx_http_server_response_time_seconds_count", "route", "/health")).isTrue();
    for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes", "jvm_threads_live_threads",
        "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "backchannel_writer_queue",
        "backchannel_streams_open", "backchannel_longpoll_waiters", "backchannel_streams_cut_slow_total",
        "backchannel_stream_events_sent_total", "backchannel_redeliveries_total", "backchannel_dead_lettered_total",
        "backchannel_leases_expired_total")) {
      assertThat(scrape.has(name)).as(name).isTrue();
    }
    assertThat(scrape.value("backchannel_http_requests_active")).isGreaterThanOrEqualTo(1);
    assertThat(scrape.value("backchannel_http_connections_active")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void noPathOrRouteLabelCarriesAChannelIdOrName() {
    String key = labels;
    String channelId = claimable(key, CHANNEL_NAME);
    postMessages(key, CHANNEL_NAME, 1);
    postMessages(key, channelId, 1);
    api.get("/v1/channels/" + channelId).key(key).send();
    api.get("/v1/channels/" + CHANNEL_NAME + "/messages?cursor=0").key(key).send();
    api.get("/v1/channels/" + CHANNEL_NAME + "/no-such-route").key(key).send();

    Scrape scrape = Scrape.of(api);
    assertThat(scrape.has("backchannel_requests_total", "path", "/v1/channels/{id}")).isTrue();
    assertThat(scrape.has("backchannel_requests_total", "path", "/health")
        || scrape.has("backchannel_requests_total", "path", "/metrics")).isTrue();
    for (Scrape.Sample sample : scrape.samples()) {
      for (String label : List.of("path", "route")) {
        String value = sample.labels().get(label);
        if (value != null) {
          assertThat(value).as(sample.toString()).doesNotContain(channelId).doesNotContain(CHANNEL_NAME);
        }
      }
    }
  }

  @Test
  void queueGaugesShowTheDeepestChannelsAndSumTheRest() throws Exception {
    String key = queues;
    String deep = claimable(key, "queue-deep");
    String middle = claimable(key, "queue-middle");
    String shallow = claimable(key, "queue-shallow");
    List<String> deepMessages = postMessages(key, deep, 4);
    postMessages(key, middle, 2);
    postMessages(key, shallow, 1);
    api.post("/v1/messages/" + deepMessages.get(0) + "/claim", json()).key(key).send();
    server.clock().advance(Duration.ofSeconds(90));
    server.server().services().queueMetrics().refresh().await(10, TimeUnit.SECONDS);

    Scrape scrape = Scrape.of(api);
    assertThat(scrape.value("backchannel_queue_unclaimed", "channel", deep)).isEqualTo(3);
    assertThat(scrape.value("backchannel_queue_in_flight", "channel", deep)).isEqualTo(1);
    assertThat(scrape.value("backchannel_queue_oldest_unclaimed_age_seconds", "channel", deep)).isCloseTo(90, within(0.01));
    assertThat(scrape.has("backchannel_queue_unclaimed", "channel", shallow)).isFalse();
    assertThat(scrape.has("backchannel_queue_unclaimed", "channel", "_other")).isTrue();
    long series = scrape.matching("backchannel_queue_unclaimed").stream()
        .filter(s -> !s.labels().get("channel").equals("_other")).count();
    assertThat(series).isEqualTo(2);
    double total = scrape.value("backchannel_queue_unclaimed");
    assertThat(total).isGreaterThanOrEqualTo(3 + 2 + 1);
  }

  @Test
  void vertxGaugesAreNeverRegisteredTwice() {
    for (int i = 0; i < 3; i++) {
      new ApiClient(server.baseUrl()).get("/health/ready").send();
      api.get("/v1/keys/me").key("bck_x.y").send();
    }
    Scrape.of(api);
    assertThat(micrometerLog).noneMatch(line -> line.contains("already registered"));
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  private String claimable(String key, String name) {
    ApiClient.Response created = api.post("/v1/channels", json("name", name, "mode", "claimable")).key(key).send();
    assertThat(created.status()).isEqualTo(201);
    return created.text("id");
  }

  private List<String> postMessages(String key, String channel, int count) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      ApiClient.Response posted = api.post("/v1/channels/" + channel + "/messages",
          json("content", "task " + channel + " " + i + " " + System.nanoTime())).key(key).send();
      assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
      ids.add(posted.json().get("message").get("id").asText());
    }
    return ids;
  }
}
