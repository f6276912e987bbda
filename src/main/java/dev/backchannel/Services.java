package dev.backchannel;

import dev.backchannel.actor.ActorService;
import dev.backchannel.agent.AgentService;
import dev.backchannel.audit.AuditLog;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.MembershipService;
import dev.backchannel.idempotency.IdempotencyStore;
import dev.backchannel.key.KeyService;
import dev.backchannel.maintenance.BackupService;
import dev.backchannel.maintenance.CleanupStore;
import dev.backchannel.maintenance.Janitor;
import dev.backchannel.maintenance.QueueMetrics;
import dev.backchannel.message.ClaimService;
import dev.backchannel.message.MessageService;
import dev.backchannel.message.QueueService;
import dev.backchannel.sandbox.Sandbox;
import dev.backchannel.session.SessionService;
import dev.backchannel.store.Store;
import dev.backchannel.stream.StreamService;
import dev.backchannel.task.TaskService;
import dev.backchannel.webhook.WebhookOutbox;

/** The domain services of one server, built once by {@link Server} and shared by every event loop. */
public record Services(
    Store store,
    KeyService keys,
    ActorService actors,
    ChannelService channels,
    MembershipService memberships,
    MessageService messages,
    ClaimService claims,
    TaskService tasks,
    SessionService sessions,
    AuditLog audit,
    IdempotencyStore idempotency,
    CleanupStore cleanup,
    Janitor janitor,
    QueueMetrics queueMetrics,
    BackupService backups,
    StreamService streams,
    AgentService agents,
    WebhookOutbox webhooks,
    Sandbox sandbox,
    QueueService queues) {}
