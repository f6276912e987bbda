package dev.backchannel.http;

import static dev.backchannel.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.ApiClient;
import dev.backchannel.testing.ApiTest;
import dev.backchannel.testing.SseClient;
import dev.backchannel.testing.SseClient.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams under load: exactly once across reconnects, and slow readers never slow anyone else. */
@Timeout(120)
class StreamDeliveryTest extends ApiTest {
  private String key;

  @Override
  protected Map<String, String> settings() {
    return Map.of("stream_write_queue_bytes", "16384");
  }

  @BeforeAll
  void mintKey() {
    key = newKey();
  }

  @Test
  void everyMessageArrivesExactlyOnceInOrderAcrossRandomReconnects() throws Exception {
    String channel = channel();
    assertExactlyOnce(List.of(channel), 5_000, "/v1/channels/" + channel + "/stream?since=0");
  }

  @Test
  void multiChannelStreamsAreExactlyOnceAcrossReconnectsToo() throws Exception {
    List<String> channels = List.of(channel(), channel(), channel());
    assertExactlyOnce(channels, 3_000, "/v1/stream?since=0&channels=" + String.join(",", channels));
  }

  /** Reads with reconnects while 4 writers post; the reader must see each post once, in seq order. */
  private void assertExactlyOnce(List<String> channels, int total, String path) throws Exception {
    ExecutorService writers = Executors.newSingleThreadExecutor();
    Future<Set<Long>> posting = writers.submit(() -> postConcurrently(channels, 4, total));
    List<Long> received = readAllWithReconnects(path, total);
    Set<Long> posted = posting.get(90, TimeUnit.SECONDS);
    writers.shutdown();
    assertThat(received).doesNotHaveDuplicates().isSorted();
    assertThat(new ArrayList<>(posted)).containsExactlyElementsOf(received);
  }

  /** Posts {@code total} messages from {@code writers} threads, round-robin over the channels. */
  private Set<Long> postConcurrently(List<String> channels, int writers, int total) throws Exception {
    Set<Long> seqs = new ConcurrentSkipListSet<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        for (int i = writer; i < total; i += writers) {
          String channel = channels.get(i % channels.size());
          ApiClient.Response r = api.post("/v1/channels/" + channel + "/messages", json("content", "m" + i))
              .key(key).send();
          assertThat(r.status()).isEqualTo(201);
          seqs.add(r.json().get("message").get("seq").asLong());
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(90, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return seqs;
  }

  /**
   * Reads while a writer posts: starts reading at once, drops the connection after a random
   * number of frames, and resumes with Last-Event-ID, until it has {@code expected} messages.
   */
  private List<Long> readAllWithReconnects(String path, int expected) throws Exception {
    Random random = new Random(42);
    List<Long> received = Collections.synchronizedList(new ArrayList<>());
    String lastEventId = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int reconnects = 0;
    while (received.size() < expected && System.nanoTime() < deadline) {
      Map<String, String> headers = lastEventId == null ? Map.of("X-API-Key", key)
          : Map.of("X-API-Key", key, "Last-Event-ID", lastEventId);
      try (SseClient sse = SseClient.open(server.baseUrl() + path, headers)) {
        int budget = 1 + random.nextInt(900);
        for (int i = 0; i < budget && received.size() < expected; i++) {
          Frame frame = sse.next(Duration.ofSeconds(10));
          if (frame == null) {
            break;
          }
          received.add(frame.seq());
          lastEventId = frame.id();
        }
      }
      reconnects++;
    }
    assertThat(reconnects).isGreaterThan(3);
    return received;
  }

  @Test
  void aStalledReaderIsCutAndDoesNotDelayFiftyHealthyOnes() throws Exception {
    String channel = channel();
    List<SseClient> healthy = new ArrayList<>();
    try (Socket stalled = stalledReader("/v1/channels/" + channel + "/stream")) {
      for (int i = 0; i < 50; i++) {
        healthy.add(SseClient.open(server.baseUrl() + "/v1/channels/" + channel + "/stream", Map.of("X-API-Key", key)));
      }
      String filler = "x".repeat(8_000);
      int messages = 400;
      for (int i = 0; i < messages; i++) {
        api.post("/v1/channels/" + channel + "/messages", json("content", filler + i)).key(key).send();
      }
      for (SseClient client : healthy) {
        assertThat(client.take(messages, Duration.ofSeconds(30))).hasSize(messages);
      }
      assertThat(drainUntilClosed(stalled)).as("the stalled connection was cut by the server").isTrue();
    } finally {
      healthy.forEach(SseClient::close);
    }
  }

  /** A client that sends its request and then never reads, with a tiny receive window. */
  private Socket stalledReader(String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** Reads what the server sent before it cut the connection; true once it is closed or reset. */
  private boolean drainUntilClosed(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65_536];
    try {
      while (in.read(buffer) >= 0) {
        // discard
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private String channel() {
    return api.post("/v1/channels", json("name", "load-" + System.nanoTime(), "mode", "broadcast")).key(key).send()
        .text("id");
  }
}
