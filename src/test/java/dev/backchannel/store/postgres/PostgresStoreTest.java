package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.ops.Metrics;
import dev.backchannel.store.StoreOpenException;
import dev.backchannel.testing.FakeClock;
import dev.backchannel.testing.PostgresCluster;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening the PostgreSQL store on a real throwaway cluster. */
class PostgresStoreTest {
  private final PostgresCluster cluster = PostgresCluster.shared();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private PostgresStore open(String url) {
    return PostgresStore.open(vertx, new PostgresStore.Options(url, 2, 100, 1_000), new FakeClock(), Metrics.NOOP,
        batch -> { });
  }

  @Test
  void aSecondProcessOnTheSameDatabaseIsRefusedUntilTheFirstStops() throws Exception {
    String url = cluster.createDatabase();
    PostgresStore first = open(url);
    try {
      assertThat(first.write(tx -> tx.nextSeq()).await(10, TimeUnit.SECONDS)).isEqualTo(1L);
      assertThatThrownBy(() -> open(url)).isInstanceOf(StoreOpenException.class)
          .hasMessageContaining("another server process is using this database");
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
    }
    PostgresStore second = open(url);
    try {
      assertThat(second.write(tx -> tx.nextSeq()).await(10, TimeUnit.SECONDS)).as("continues the sequence")
          .isEqualTo(2L);
    } finally {
      second.close().await(10, TimeUnit.SECONDS);
    }
  }
}
