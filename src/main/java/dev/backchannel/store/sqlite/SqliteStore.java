package dev.backchannel.store.sqlite;

import dev.backchannel.actor.ActorStore;
import dev.backchannel.agent.AgentStore;
import dev.backchannel.audit.AuditStore;
import dev.backchannel.database.Database;
import dev.backchannel.channel.ChannelStore;
import dev.backchannel.channel.MembershipStore;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.key.KeyStore;
import dev.backchannel.key.SettingsStore;
import dev.backchannel.maintenance.BackupStore;
import dev.backchannel.maintenance.CleanupStore;
import dev.backchannel.maintenance.QueueStatsStore;
import dev.backchannel.message.MessageStore;
import dev.backchannel.message.QueueStore;
import dev.backchannel.ops.Metrics;
import dev.backchannel.session.SessionStore;
import dev.backchannel.store.Committed;
import dev.backchannel.store.SingleWriter;
import dev.backchannel.store.StoreOpenException;
import dev.backchannel.store.WriteWork;
import dev.backchannel.webhook.OutboxStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The embedded SQLite store: one {@link SqliteWriter} for every change, a read pool for queries. */
public final class SqliteStore implements Database {
  private final Vertx vertx;
  private final SqliteWriter writer;
  private final ReadPool reads;
  private final Path file;

  final SqliteKeyStore keys;
  final SqliteSettingsStore settings;
  final SqliteAuditStore audit;
  final SqliteActorStore actors;
  final SqliteChannelStore channels;
  final SqliteMembershipStore memberships;
  final SqliteMessageStore messages;
  final SqliteSessionStore sessions;
  final SqliteIdempotencyStore idempotency;
  final SqliteCleanupStore cleanup;
  final SqliteAgentStore agents;
  final SqliteQueueStore queues;
  final SqliteQueueStatsStore queueStats;
  final SqliteOutboxStore outbox;

  private SqliteStore(Vertx vertx, Path file, SqliteWriter writer, ReadPool reads) {
    this.vertx = vertx;
    this.file = file;
    this.writer = writer;
    this.reads = reads;
    this.keys = new SqliteKeyStore(reads);
    this.settings = new SqliteSettingsStore(reads);
    this.audit = new SqliteAuditStore(reads);
    this.actors = new SqliteActorStore(reads);
    this.channels = new SqliteChannelStore(reads);
    this.memberships = new SqliteMembershipStore(reads, channels);
    this.messages = new SqliteMessageStore(reads);
    this.sessions = new SqliteSessionStore(reads);
    this.idempotency = new SqliteIdempotencyStore(reads);
    this.cleanup = new SqliteCleanupStore(reads);
    this.agents = new SqliteAgentStore(reads);
    this.queues = new SqliteQueueStore(reads);
    this.queueStats = new SqliteQueueStatsStore(reads);
    this.outbox = new SqliteOutboxStore(reads);
  }

  /** The settings the store needs from the configuration. */
  public record Options(Path file, String synchronous, int busyTimeoutMs, int readPoolSize, int writerMaxBatch) {}

  /**
   * Migrates the schema (blocking; call from a worker or before serving), starts the writer
   * and opens the read pool.
   */
  public static SqliteStore open(Vertx vertx, Options options, Clock clock, Metrics metrics,
      Consumer<List<Committed>> onCommit) {
    try {
      SqliteFiles.migrate(options.file(), options.synchronous(), options.busyTimeoutMs());
      SqliteWriter writer = new SqliteWriter(
          SqliteFiles.dataSource(options.file(), options.synchronous(), options.busyTimeoutMs(), false),
          clock, options.writerMaxBatch(), metrics, onCommit);
      ReadPool reads = new ReadPool(vertx,
          SqliteFiles.dataSource(options.file(), options.synchronous(), options.busyTimeoutMs(), true),
          options.readPoolSize());
      return new SqliteStore(vertx, options.file(), writer, reads);
    } catch (SQLException e) {
      throw new StoreOpenException("cannot open database " + options.file() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public <T> Future<T> write(WriteWork<T> work) {
    return writer.submit(work);
  }

  @Override
  public long commits() {
    return writer.commits();
  }

  @Override
  public Future<Double> ping() {
    long started = System.nanoTime();
    return reads.count("SELECT 1 AS n").map(n -> Math.round((System.nanoTime() - started) / 1e5) / 10.0);
  }

  @Override
  public Future<Void> flush() {
    return writer.submit(tx -> null).mapEmpty();
  }

  /** The database with its WAL and shared-memory files, measured off the event loop. */
  @Override
  public Future<Long> sizeBytes() {
    return vertx.executeBlocking(() -> SqliteFiles.sizeWithJournal(file), false);
  }

  @Override
  public Optional<SingleWriter> singleWriter() {
    return Optional.of(new SingleWriter() {
      @Override
      public boolean alive() {
        return writer.isAlive();
      }

      @Override
      public int queueDepth() {
        return writer.queued();
      }
    });
  }

  public Path file() {
    return file;
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public SettingsStore settings() {
    return settings;
  }

  @Override
  public AuditStore audit() {
    return audit;
  }

  @Override
  public ActorStore actors() {
    return actors;
  }

  @Override
  public ChannelStore channels() {
    return channels;
  }

  @Override
  public MembershipStore memberships() {
    return memberships;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public SessionStore sessions() {
    return sessions;
  }

  @Override
  public IdempotencyStore idempotency() {
    return idempotency;
  }

  @Override
  public CleanupStore cleanup() {
    return cleanup;
  }

  @Override
  public OutboxStore outbox() {
    return outbox;
  }

  @Override
  public AgentStore agents() {
    return agents;
  }

  @Override
  public QueueStore queues() {
    return queues;
  }

  @Override
  public QueueStatsStore queueStats() {
    return queueStats;
  }

  /** Online backups through {@link SqliteBackup}, run on a worker thread. */
  @Override
  public BackupStore backups() {
    return target -> vertx.executeBlocking(() -> SqliteBackup.copy(file, target), false);
  }

  /**
   * Closes the read pool, then drains the writer, checkpoints and closes its connection. The
   * writer's read-write connection closes last, so SQLite can also remove the {@code -wal} and
   * {@code -shm} files (a read-only connection closing last leaves them behind).
   */
  @Override
  public Future<Void> close() {
    return reads.close().eventually(() -> vertx.executeBlocking(() -> {
      writer.close(10_000);
      return null;
    }));
  }
}
