package dev.backchannel.store.jdbc;

import dev.backchannel.actor.ActorStore;
import dev.backchannel.agent.AgentStore;
import dev.backchannel.audit.AuditStore;
import dev.backchannel.channel.ChannelStore;
import dev.backchannel.channel.MembershipStore;
import dev.backchannel.database.Database;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.key.KeyStore;
import dev.backchannel.key.SettingsStore;
import dev.backchannel.maintenance.CleanupStore;
import dev.backchannel.maintenance.QueueStatsStore;
import dev.backchannel.message.MessageStore;
import dev.backchannel.message.QueueStore;
import dev.backchannel.session.SessionStore;
import dev.backchannel.store.SingleWriter;
import dev.backchannel.store.WriteWork;
import dev.backchannel.webhook.OutboxStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * A database reached over JDBC: one {@link JdbcWriter} for every change this process makes, a
 * {@link ReadPool} for queries, and the table stores, which speak SQL both adapters read alike
 * (their differences are the {@link Dialect}'s). The adapters add opening, size and backups.
 */
public abstract class JdbcDatabase implements Database {
  protected final Vertx vertx;
  private final JdbcWriter writer;
  private final ReadPool reads;

  private final JdbcKeyStore keys;
  private final JdbcSettingsStore settings;
  private final JdbcAuditStore audit;
  private final JdbcActorStore actors;
  private final JdbcChannelStore channels;
  private final JdbcMembershipStore memberships;
  private final JdbcMessageStore messages;
  private final JdbcSessionStore sessions;
  private final JdbcIdempotencyStore idempotency;
  private final JdbcCleanupStore cleanup;
  private final JdbcAgentStore agents;
  private final JdbcQueueStore queues;
  private final JdbcQueueStatsStore queueStats;
  private final JdbcOutboxStore outbox;

  protected JdbcDatabase(Vertx vertx, JdbcWriter writer, ReadPool reads, Dialect dialect) {
    this.vertx = vertx;
    this.writer = writer;
    this.reads = reads;
    this.keys = new JdbcKeyStore(reads);
    this.settings = new JdbcSettingsStore(reads);
    this.audit = new JdbcAuditStore(reads);
    this.actors = new JdbcActorStore(reads, dialect);
    this.channels = new JdbcChannelStore(reads, dialect);
    this.memberships = new JdbcMembershipStore(reads, channels);
    this.messages = new JdbcMessageStore(reads, dialect);
    this.sessions = new JdbcSessionStore(reads);
    this.idempotency = new JdbcIdempotencyStore(reads, dialect);
    this.cleanup = new JdbcCleanupStore(reads);
    this.agents = new JdbcAgentStore(reads, dialect);
    this.queues = new JdbcQueueStore(reads, dialect);
    this.queueStats = new JdbcQueueStatsStore(reads);
    this.outbox = new JdbcOutboxStore(reads);
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

  /** Queries of the adapter's own (size, say), on the same read pool. */
  protected ReadPool reads() {
    return reads;
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

  /**
   * Closes the read pool, then drains the writer and closes its connection. The writer's
   * read-write connection closes last, so SQLite can also remove the {@code -wal} and
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
