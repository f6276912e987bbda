package dev.backchannel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.network.Cidr;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.CommitSinks;
import dev.backchannel.store.sqlite.SqliteStore;
import dev.backchannel.testing.Await;
import dev.backchannel.testing.FakeClock;
import dev.backchannel.testing.WebhookReceiver;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The worker resolves the host on every attempt and connects to the address it checked. */
@Timeout(30)
class DeliveryWorkerTest {
  @TempDir
  Path directory;

  @Test
  void eachAttemptResolvesAgainAndConnectsToTheCheckedAddress() throws Exception {
    FakeClock clock = new FakeClock();
    Vertx vertx = Vertx.vertx();
    Path file = directory.resolve("worker.db");
    SqliteStore store = SqliteStore.open(vertx, new SqliteStore.Options(file, "NORMAL", 5_000, 1, 100), clock,
        Metrics.NOOP, CommitSinks.NONE.both());
    // hooks.test is no real name: the first answer is allow-listed loopback, the second a private address.
    Deque<String> answers = new ArrayDeque<>(List.of("127.0.0.1", "10.0.0.1"));
    WebhookTargets targets = new WebhookTargets(Cidr.parseAll(List.of("127.0.0.1/32")),
        host -> new InetAddress[] {InetAddress.getByName(answers.removeFirst())});
    DeliveryWorker worker = new DeliveryWorker(store, store.outbox(), targets, clock, Metrics.NOOP);
    try (WebhookReceiver receiver = WebhookReceiver.start().answer(503)) {
      vertx.deployVerticle(worker).await(10, TimeUnit.SECONDS);
      String url = "http://hooks.test:" + receiver.port() + "/in?token=t";
      store.write(tx -> {
        store.outbox().enqueue(tx, new Delivery("d-1", null, "message.created", url, null, "{\"n\":1}", 0, tx.now()));
        return null;
      }).await(10, TimeUnit.SECONDS);
      worker.wake();

      WebhookReceiver.Call first = receiver.next(Duration.ofSeconds(10));
      assertThat(first).isNotNull();
      assertThat(first.header("Host")).isEqualTo("hooks.test:" + receiver.port());
      assertThat(first.path()).isEqualTo("/in?token=t");
      awaitError(file, "answered HTTP 503");

      clock.advance(Duration.ofSeconds(60));
      worker.wake();
      awaitError(file, "refused: private address");
      assertThat(receiver.drain()).isEmpty();
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitError(Path file, String expected) {
    Await.until("last_error " + expected, () -> expected.equals(lastError(file)));
  }

  private static String lastError(Path file) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = connection.createStatement().executeQuery("SELECT last_error FROM webhook_deliveries")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
