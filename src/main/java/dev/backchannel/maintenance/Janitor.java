package dev.backchannel.maintenance;

import dev.backchannel.channel.MembershipStore;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageStore;
import dev.backchannel.message.Publisher;
import dev.backchannel.message.QueueStore;
import dev.backchannel.message.Redelivery;
import dev.backchannel.ops.Metrics;
import dev.backchannel.session.SessionStore;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import dev.backchannel.webhook.OutboxStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Expiry and retention (contract §5.4, §5.6): archives expired messages, returns lapsed leases
 * to the pool, and purges what outlived its lifetime. Work is done in bounded chunks, each its
 * own write, so a large backlog never holds the write lock for long. Timers only call
 * {@link #sweep()} and {@link #releaseLeases()}; tests call them directly after moving the clock.
 */
public final class Janitor {
  private static final Logger LOG = Logger.getLogger(Janitor.class.getName());
  private static final int CHUNK = 500;
  private static final Duration RUN_HISTORY = Duration.ofDays(7);
  private static final Duration WEBHOOK_HISTORY = Duration.ofDays(7);
  private static final Duration MENTION_SLOT = Duration.ofMinutes(1);

  private final Store store;
  private final MessageStore messages;
  private final Redelivery redelivery;
  private final Publisher publisher;
  private final QueueStore queues;
  private final MembershipStore memberships;
  private final SessionStore sessions;
  private final IdempotencyStore idempotency;
  private final CleanupStore runs;
  private final Metrics metrics;
  private final int defaultRetentionDays;
  private final OutboxStore webhooks;
  private boolean sweeping;
  private boolean releasing;

  public Janitor(Store store, MessageStore messages, QueueStore queues, Redelivery redelivery, Publisher publisher,
      MembershipStore memberships, SessionStore sessions, IdempotencyStore idempotency, CleanupStore runs,
      Metrics metrics, int defaultRetentionDays, OutboxStore webhooks) {
    this.store = store;
    this.messages = messages;
    this.redelivery = redelivery;
    this.publisher = publisher;
    this.queues = queues;
    this.memberships = memberships;
    this.sessions = sessions;
    this.idempotency = idempotency;
    this.runs = runs;
    this.metrics = metrics;
    this.defaultRetentionDays = defaultRetentionDays;
    this.webhooks = webhooks;
  }

  /**
   * Returns expired, unacknowledged leases to the pool, or to the dead letters when they used up
   * their deliveries (extensions §4); completes with how many.
   */
  public Future<Long> releaseLeases() {
    return chunked((tx, n) -> redelivery.expireLeases(tx, CHUNK), 0L);
  }

  /** Publishes delayed messages whose time has come; completes with how many. */
  public Future<Long> releaseDue() {
    return chunked((tx, n) -> publisher.releaseDue(tx, CHUNK), 0L)
        .compose(released -> queues.earliestDue().map(next -> {
          publisher.dueWatch().reset(next.orElse(null));
          return released;
        }));
  }

  /**
   * Notes the earliest pending due time in the store. A node learns of the delays it scheduled
   * itself; this lets it also release those another node scheduled, should that node be gone.
   */
  public Future<Void> learnDueTimes() {
    return queues.earliestDue().map(next -> {
      next.ifPresent(publisher.dueWatch()::offer);
      return null;
    });
  }

  /** For a frequent timer: releases delayed messages only when one is known to be due. */
  public Future<Long> releaseDueIfAny(Instant now) {
    return publisher.dueWatch().isDueAt(now) && !releasing ? guarded(releaseDue()) : Future.succeededFuture(0L);
  }

  private Future<Long> guarded(Future<Long> run) {
    releasing = true;
    return run.eventually(() -> {
      releasing = false;
      return Future.succeededFuture();
    });
  }

  /** One full pass; overlapping calls share nothing and the later one is skipped. */
  public Future<CleanupRun> sweep() {
    if (sweeping) {
      return Future.succeededFuture(null);
    }
    sweeping = true;
    Map<String, Long> counts = new LinkedHashMap<>();
    Instant[] started = new Instant[1];
    return store.write(Tx::now)
        .compose(now -> {
          started[0] = now;
          return archiveExpired();
        })
        .compose(archived -> {
          counts.put("archived_messages", archived);
          return releaseLeases();
        })
        .compose(released -> {
          counts.put("released_leases", released);
          return releaseDue();
        })
        .compose(due -> {
          counts.put("released_delayed", due);
          return store.write(tx -> purge(tx, started[0], counts));
        })
        .onFailure(e -> LOG.log(Level.WARNING, "janitor pass failed: " + e.getMessage()))
        .eventually(() -> {
          sweeping = false;
          return Future.succeededFuture();
        });
  }

  private Future<Long> archiveExpired() {
    return chunked((tx, n) -> {
      List<Message> expired = messages.archiveExpired(tx, tx.now(), CHUNK);
      expired.forEach(m -> tx.emit(new Committed(Committed.Kind.MESSAGE_EXPIRED, m.channelId(), tx.nextSeq(), m)));
      metrics.messagesArchived(expired.size());
      return expired.size();
    }, 0L);
  }

  private CleanupRun purge(Tx tx, Instant startedAt, Map<String, Long> counts) {
    Instant now = tx.now();
    counts.put("purged_archive", (long) messages.purgeArchive(tx, now, defaultRetentionDays));
    counts.put("purged_invitations", (long) memberships.purgeInvitations(tx, now));
    counts.put("purged_channel_events", (long) memberships.purgeEvents(tx, now));
    counts.put("purged_sessions", (long) sessions.purgeExpired(tx, now));
    counts.put("purged_idempotency_records", (long) idempotency.purgeExpired(tx, now));
    counts.put("purged_webhooks", (long) webhooks.purge(tx, now.minus(WEBHOOK_HISTORY), now.minus(MENTION_SLOT)));
    runs.purge(tx, now.minus(RUN_HISTORY));
    CleanupRun run = new CleanupRun(UUID.randomUUID().toString(), startedAt, now, "completed", Map.copyOf(counts),
        null);
    runs.record(tx, run);
    return run;
  }

  /** Repeats a chunk of work, each in its own write, until a chunk does less than a full chunk. */
  private Future<Long> chunked(BiFunction<Tx, Integer, Integer> chunk, long doneSoFar) {
    return store.write(tx -> chunk.apply(tx, CHUNK)).compose(done -> {
      long total = doneSoFar + done;
      return done < CHUNK ? Future.succeededFuture(total) : chunked(chunk, total);
    });
  }
}
