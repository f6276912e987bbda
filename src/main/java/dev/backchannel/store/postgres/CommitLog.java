package dev.backchannel.store.postgres;

import dev.backchannel.store.Committed;
import dev.backchannel.store.jdbc.JdbcTx;
import dev.backchannel.time.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How the nodes on one database learn of each other's commits. Every write transaction that
 * allocated sequence numbers adds a {@code commit_log} row with its events and, in the same
 * statement, a {@code NOTIFY} that PostgreSQL delivers at COMMIT. Each node's reader thread
 * listens, reads the rows it has not seen (also once a second, in case a notification was
 * missed while reconnecting), and hands them to {@link CommitOrder}. Rows are purged after
 * {@link #RETENTION}; a node that falls further behind misses those live events, and its
 * streams pick the messages up from the tables when they resume.
 */
final class CommitLog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CommitLog.class.getName());
  static final String CHANNEL = "backchannel_commits";
  static final Duration RETENTION = Duration.ofMinutes(10);
  private static final int READ_LIMIT = 500;
  private static final int LISTEN_TIMEOUT_MS = 250;
  private static final long READ_EVERY_NANOS = 1_000_000_000L;
  private static final long PURGE_EVERY_NANOS = 60_000_000_000L;
  private static final String APPEND = """
      WITH notified AS (SELECT pg_notify('%s', ?))
      INSERT INTO commit_log (last_seq, floor_seq, node, committed_at, events)
      SELECT ?, ?, ?, ?, ? FROM notified""".formatted(CHANNEL);
  private static final String READ =
      "SELECT floor_seq, last_seq, node, events FROM commit_log WHERE last_seq > ? ORDER BY last_seq LIMIT "
          + READ_LIMIT;
  private static final String PURGE = "DELETE FROM commit_log WHERE committed_at < ?";

  private final String node;
  private final CommitOrder order;
  private final DataSource source;
  private final Clock clock;
  private final Thread reader;
  private volatile boolean running = true;
  /** The counter value the open transaction found when it took the lock (writer thread only). */
  private long floor;

  CommitLog(String node, CommitOrder order, DataSource source, Clock clock) {
    this.node = node;
    this.order = order;
    this.source = source;
    this.clock = clock;
    this.reader = new Thread(this::readLoop, "backchannel-commit-log");
    this.reader.setDaemon(true);
  }

  void start() {
    reader.start();
  }

  /** The writer's transaction holds the counters lock; every seq up to {@code floor} is committed. */
  void begun(long floor) {
    this.floor = floor;
  }

  /** Logs the transaction's events just before its COMMIT, if it allocated any seq. */
  void append(JdbcTx tx, long last, List<Committed> events) {
    if (last > floor) {
      tx.update(APPEND, node + " " + last, last, floor, node, Timestamps.micros(clock.instant()),
          CommitLogCodec.encode(events));
    }
  }

  /** The transaction committed and this node's own consumers have its events. */
  void committed(long last, List<Committed> events) {
    order.committedHere(floor, last, events);
  }

  @Override
  public void close() {
    running = false;
    reader.interrupt();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLoop() {
    Connection connection = null;
    long lastRead = 0;
    long lastPurge = System.nanoTime();
    while (running) {
      try {
        if (connection == null) {
          connection = listen();
          lastRead = 0;
        }
        PGNotification[] notes = connection.unwrap(PGConnection.class).getNotifications(LISTEN_TIMEOUT_MS);
        long now = System.nanoTime();
        if (behind(notes) || order.waiting() || lastRead == 0 || now - lastRead > READ_EVERY_NANOS) {
          readAll(connection);
          lastRead = now;
        }
        if (now - lastPurge > PURGE_EVERY_NANOS) {
          purge(connection);
          lastPurge = now;
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.log(Level.WARNING, "reading the commit log failed; retrying: " + e.getMessage());
        close(connection);
        connection = null;
        pause();
      }
    }
    close(connection);
  }

  private Connection listen() throws SQLException {
    Connection connection = source.getConnection();
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + CHANNEL);
    }
    return connection;
  }

  /** Whether a notification names a commit this node has not handed on. */
  private boolean behind(PGNotification[] notes) {
    if (notes == null) {
      return false;
    }
    long delivered = order.delivered();
    for (PGNotification note : notes) {
      String payload = note.getParameter();
      int space = payload.lastIndexOf(' ');
      try {
        if (Long.parseLong(payload.substring(space + 1)) > delivered) {
          return true;
        }
      } catch (NumberFormatException e) {
        return true;
      }
    }
    return false;
  }

  private void readAll(Connection connection) throws SQLException {
    int read;
    do {
      List<CommitOrder.Entry> entries = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(READ)) {
        statement.setLong(1, order.delivered());
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            entries.add(new CommitOrder.Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
          }
        }
      }
      order.read(entries);
      read = entries.size();
    } while (read == READ_LIMIT && running);
  }

  private void purge(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(PURGE)) {
      statement.setLong(1, Timestamps.micros(clock.instant().minus(RETENTION)));
      statement.executeUpdate();
    }
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // being replaced or shut down
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
