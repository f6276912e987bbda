package dev.backchannel.reliability;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.backchannel.Seams;
import dev.backchannel.message.LeaseTokens;
import dev.backchannel.testing.ApiClient.Response;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.FakeClock;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.TestServer;
import dev.backchannel.time.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Faults around the server: the database locked by another process, and clients that connect
 * and go quiet. The lock is a second connection holding {@code BEGIN EXCLUSIVE}: unlike a
 * read-only file (chmod), it also stops writes when the tests run as root.
 */
class ResourceFaultTest extends ApiTest {
  private static final int IDLE_TIMEOUT_SECONDS = 2;
  /** The idle-timeout tests wait out real seconds and do not touch the store: one run is enough. */
  private static final String TRANSPORT_ONLY = "connection timeouts are the same on either store";

  @Override
  protected Map<String, String> settings() {
    return Map.of("sqlite_busy_timeout_ms", "200", "postgres_lock_timeout_ms", "200", "http_idle_timeout_seconds", Integer.toString(IDLE_TIMEOUT_SECONDS),
        "longpoll_max_wait_seconds", "1", "stream_heartbeat_millis", "500");
  }

  /** Idle timeouts run on real time, so the heartbeats that must beat them do too. */
  @Override
  protected Seams seams(FakeClock clock) {
    return new Seams(Ticker.SYSTEM, LeaseTokens.RANDOM);
  }

  @Test
  void aLockedDatabaseRefusesWritesClearlyKeepsReadingAndRecoversWhenReleased() throws Exception {
    String key = newKey();
    String channel = claimableChannel(key);
    String before = postId(key, channel, "before the lock");

    try (Connection other = DriverManager.getConnection(server.jdbcUrl());
        Statement lock = other.createStatement()) {
      // Another process holds the write lock: SQLite's database lock, or on PostgreSQL the counters
      // row every write transaction takes first.
      lock.execute(TestServer.onPostgres() ? "BEGIN" : "BEGIN EXCLUSIVE");
      if (TestServer.onPostgres()) {
        lock.execute("SELECT * FROM counters FOR UPDATE");
      }

      Response refused = api.post("/v1/channels/" + channel + "/messages", json("content", "during")).key(key).send();
      expectError(refused, 503, "storage_unavailable");
      assertThat(refused.text("message")).contains("database");
      Response read = api.get("/v1/channels/" + channel + "/messages").key(key).send();
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().get("data").get(0).get("id").asText()).isEqualTo(before);
      if (!TestServer.onPostgres()) {
        Response ready = api.get("/health/ready").send();
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.text("writer")).isEqualTo("stalled");
        assertThat(ready.text("database")).isEqualTo("ok");
      }

      lock.execute("ROLLBACK");
    }

    assertThat(api.post("/v1/channels/" + channel + "/messages", json("content", "after")).key(key).send().status())
        .isEqualTo(201);
    assertThat(api.get("/health/ready").send().status()).isEqualTo(200);
  }

  @Test
  void aClientThatSendsNothingOrHalfARequestLineIsDisconnected() throws Exception {
    assumeFalse(TestServer.onPostgres(), TRANSPORT_ONLY);
    for (String sent : new String[] {"", "GET /v1/chan"}) {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(IDLE_TIMEOUT_SECONDS * 5_000);
        socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        try {
          assertThat(in.read()).as("the server closes a connection idle with %s", sent.isEmpty() ? "nothing" : sent)
              .isEqualTo(-1);
        } catch (SocketTimeoutException e) {
          throw new AssertionError("the server kept an idle connection open: " + sent, e);
        } catch (IOException reset) {
          // a reset is a disconnection too
        }
      }
    }
  }

  @Test
  void quietStreamsAndLongPollsOutliveTheIdleTimeout() {
    assumeFalse(TestServer.onPostgres(), TRANSPORT_ONLY);
    String key = newKey();
    String channel = claimableChannel(key);
    // Asks for 5 s heartbeats, longer than the 2 s idle timeout: the server sends them sooner.
    try (SseClient stream = SseClient.open(api.baseUrl() + "/v1/channels/" + channel + "/stream?heartbeat=5",
        Map.of("X-API-Key", key))) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.awaitEnd(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS * 3L))).as("stream cut while idle").isFalse();
      assertThat(stream.comments()).isPositive();
    }
    for (int i = 0; i < 3; i++) {
      Response polled = api.get("/v1/channels/" + channel + "/messages?wait=1").key(key).send();
      assertThat(polled.status()).isEqualTo(200);
    }
  }

  @Test
  void aConnectionKeptOpenAfterItsStreamEndsIsTimedOutWhenIdleAgain() throws Exception {
    assumeFalse(TestServer.onPostgres(), TRANSPORT_ONLY);
    String key = newKey();
    String channel = claimableChannel(key);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(IDLE_TIMEOUT_SECONDS * 5_000);
      InputStream in = socket.getInputStream();
      send(socket, "GET /v1/channels/" + channel + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
          + "\r\nAccept: text/event-stream\r\n\r\n");
      readUntil(in, ": open");
      assertThat(api.delete("/v1/channels/" + channel).key(key).send().status()).isEqualTo(204);
      readUntil(in, "\r\n0\r\n\r\n");

      send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(readUntil(in, "\"ok\"")).as("the connection serves the next request").startsWith("HTTP/1.1 200");
      try {
        while (in.read() >= 0) {
          // the rest of the health answer
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection stayed open past its idle timeout after the stream ended", e);
      } catch (IOException reset) {
        // a reset is a disconnection too
      }
    }
  }

  private static void send(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads until {@code wanted} has arrived; returns what was read. */
  private static String readUntil(InputStream in, String wanted) throws IOException {
    StringBuilder read = new StringBuilder();
    while (read.indexOf(wanted) < 0) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("the connection closed before " + wanted + " arrived: " + read);
      }
      read.append((char) b);
    }
    return read.toString();
  }
}
