package dev.backchannel.database;

import dev.backchannel.actor.ActorStore;
import dev.backchannel.agent.AgentStore;
import dev.backchannel.audit.AuditStore;
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
import dev.backchannel.session.SessionStore;
import dev.backchannel.store.Store;
import dev.backchannel.webhook.OutboxStore;

/**
 * An opened database as the services see it: the write path ({@link Store}) and every table
 * store, all behind port interfaces. Each adapter ({@code store.sqlite}, {@code store.postgres})
 * implements it.
 */
public interface Database extends Store {
  KeyStore keys();

  SettingsStore settings();

  AuditStore audit();

  ActorStore actors();

  ChannelStore channels();

  MembershipStore memberships();

  MessageStore messages();

  SessionStore sessions();

  IdempotencyStore idempotency();

  CleanupStore cleanup();

  OutboxStore outbox();

  AgentStore agents();

  QueueStore queues();

  QueueStatsStore queueStats();

  BackupStore backups();
}
