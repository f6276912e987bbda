package dev.backchannel.channel;

import dev.backchannel.audit.AuditLog;
import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.key.Caller;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creating, finding, changing and deleting channels (contract §2.5, §2.6, §4.2). */
public final class ChannelService {
  private final Store store;
  private final ChannelStore channels;
  private final MembershipStore memberships;
  private final AuditLog audit;
  private final ChannelDefaults defaults;
  private final Clock clock;
  private final ChannelCache cache = new ChannelCache();

  public ChannelService(Store store, ChannelStore channels, MembershipStore memberships, AuditLog audit,
      ChannelDefaults defaults, Clock clock) {
    this.store = store;
    this.channels = channels;
    this.memberships = memberships;
    this.audit = audit;
    this.defaults = defaults;
    this.clock = clock;
  }

  /**
   * Tells caches that a channel, its aliases, links or members changed in this transaction; they
   * drop what they hold once it commits (on every node that sees the event).
   */
  public static void directoryChanged(Tx tx, String channelId) {
    tx.emit(new Committed(Committed.Kind.DIRECTORY_CHANGED, channelId, tx.nextSeq(), null));
  }

  /** Commit events, in commit order on the writer thread: clears the lookup cache on any channel change. */
  public void onCommitted(List<Committed> batch) {
    for (Committed change : batch) {
      switch (change.kind()) {
        case DIRECTORY_CHANGED, CHANNEL_CHANGED, CHANNEL_DELETED, ACCESS_RESTRICTED, MEMBER_REMOVED -> {
          cache.clear();
          return;
        }
        default -> { }
      }
    }
  }

  public Future<Channel> create(Caller caller, ChannelDraft draft) {
    return store.write(tx -> create(tx, caller, draft));
  }

  /** Creates the channel inside an enclosing write; the creator becomes its first member. */
  public Channel create(Tx tx, Caller caller, ChannelDraft d) {
    List<String> related = relatedIds(tx, caller, d.related(), null);
    QueuePolicy queue = new QueuePolicy(d.queue().maxDeliveries(),
        deadLetterChannel(tx, caller, d.queue().deadLetterChannel(), null), d.queue().maxInFlight());
    Instant at = tx.nextCreatedAt();
    boolean discoverable = d.discoverable() != null
        ? d.discoverable()
        : d.access() == Access.OPEN && defaults.discoverable();
    Channel channel = new Channel(UUID.randomUUID().toString(), caller.ownerId(), caller.keyId(), d.name(), d.mode(),
        d.access(), discoverable, d.description() == null ? "" : d.description(),
        d.metadataSchemaJson() == null ? "{}" : d.metadataSchemaJson(), d.pinnedMessage(), d.webhookUrl(),
        d.webhookSecret(), d.ttlSeconds() == null ? defaults.ttlSeconds() : d.ttlSeconds(),
        d.retentionDays() == null ? defaults.retentionDays() : d.retentionDays(), d.maxMessages(),
        d.maxWritesPerMinute(), false, at, at, List.of(), List.of(), queue, true);
    channels.insert(tx, channel);
    memberships.addMember(tx, channel.id(), caller.keyId(), at, null);
    channels.replaceLinks(tx, channel.id(), related);
    directoryChanged(tx, channel.id());
    return channels.find(tx, channel.id(), caller.keyId()).orElseThrow();
  }

  /** Resolves a path segment (§2.5) and checks that the caller may use the channel (§2.6). */
  public Future<Channel> resolve(Caller caller, String identifier) {
    return cache.get(new ChannelCache.Key(ChannelCache.By.PATH, identifier, caller.ownerId(), caller.keyId()),
            () -> channels.resolve(identifier, caller.ownerId(), caller.keyId()))
        .map(found -> requireAccess(caller, found.orElseThrow(() -> notFound(identifier))));
  }

  /** As {@link #resolve(Caller, String)}, inside a write: the channel as this transaction sees it. */
  public Channel resolve(Tx tx, Caller caller, String identifier) {
    return requireAccess(caller, channels.resolve(tx, identifier, caller.ownerId(), caller.keyId())
        .orElseThrow(() -> notFound(identifier)));
  }

  /** As {@link #resolve(Tx, Caller, String)}, and the caller must be the channel's creating key. */
  public Channel resolveOwned(Tx tx, Caller caller, String identifier) {
    return requireOwner(caller, resolve(tx, caller, identifier));
  }

  /** Id or alias only, inside a write, with no access check. */
  public Channel findByIdOrAlias(Tx tx, Caller caller, String ref) {
    return channels.findByIdOrAlias(tx, ref, caller == null ? "" : caller.keyId()).orElseThrow(() -> notFound(ref));
  }

  /** As {@link #resolve}, and the caller must be the channel's creating key. */
  public Future<Channel> resolveOwned(Caller caller, String identifier) {
    return resolve(caller, identifier).map(channel -> requireOwner(caller, channel));
  }

  /** Id or alias only, with no access check (access requests, admin, task results). */
  public Future<Channel> findByIdOrAlias(Caller caller, String ref) {
    String keyId = caller == null ? "" : caller.keyId();
    return cache.get(new ChannelCache.Key(ChannelCache.By.ID_OR_ALIAS, ref, "", keyId),
            () -> channels.findByIdOrAlias(ref, keyId))
        .map(found -> found.orElseThrow(() -> notFound(ref)));
  }

  /** The channel as it is inside the current write, re-checked for access. */
  public Channel reload(Tx tx, Caller caller, String channelId) {
    return requireAccess(caller, load(tx, caller, channelId));
  }

  /** The channel, if it still exists, as the server itself sees it. */
  public Optional<Channel> find(Tx tx, String channelId) {
    return channels.find(tx, channelId, "");
  }

  /** The channel as the server itself sees it (janitor work), with no caller. */
  public Channel system(Tx tx, String channelId) {
    return channels.find(tx, channelId, "").orElseThrow(() -> notFound(channelId));
  }

  /** The channel as it is inside the current write, without an access check. */
  public Channel load(Tx tx, Caller caller, String channelId) {
    return channels.find(tx, channelId, caller.keyId()).orElseThrow(() -> notFound(channelId));
  }

  public Channel requireAccess(Caller caller, Channel channel) {
    if (!channel.admits(caller.keyId())) {
      throw ApiError.CHANNEL_ACCESS_DENIED.exception("Channel '" + channel.name() + "' is restricted to its members");
    }
    return channel;
  }

  public static Channel requireOwner(Caller caller, Channel channel) {
    if (!channel.isOwnedBy(caller.keyId())) {
      throw ApiError.FORBIDDEN.exception("Only the key that created this channel may do this");
    }
    return channel;
  }

  public Channel patch(Tx tx, Caller caller, String identifier, ChannelPatch patch) {
    Channel current = resolve(tx, caller, identifier);
    if (patch.touchesOwnerOnlyFields()) {
      requireOwner(caller, current);
    }
    if (patch.related() != null) {
      channels.replaceLinks(tx, current.id(), relatedIds(tx, caller, patch.related(), current.id()));
      directoryChanged(tx, current.id());
    }
    Channel changed = apply(current, patch, updatedAt(tx, current), queuePolicy(tx, caller, current, patch));
    if (!sameColumns(current, changed)) {
      channels.update(tx, changed);
      tx.emit(new Committed(Committed.Kind.CHANNEL_CHANGED, current.id(), tx.nextSeq(), changed));
      if (current.access() == Access.OPEN && changed.access() == Access.RESTRICTED) {
        tx.emit(new Committed(Committed.Kind.ACCESS_RESTRICTED, current.id(), tx.nextSeq(), changed));
      }
    }
    return channels.find(tx, current.id(), caller.keyId()).orElseThrow();
  }

  private QueuePolicy queuePolicy(Tx tx, Caller caller, Channel current, ChannelPatch p) {
    QueuePolicy q = current.queue();
    return new QueuePolicy(
        p.maxDeliveries() != null ? p.maxDeliveries().orElse(null) : q.maxDeliveries(),
        p.deadLetterChannel() != null
            ? deadLetterChannel(tx, caller, p.deadLetterChannel().orElse(null), current.id())
            : q.deadLetterChannel(),
        p.maxInFlight() != null ? p.maxInFlight().orElse(null) : q.maxInFlight());
  }

  /** The dead-letter channel, by id or alias: one the caller can use, and not the channel itself. */
  private String deadLetterChannel(Tx tx, Caller caller, String ref, String selfId) {
    if (ref == null) {
      return null;
    }
    Channel target = requireAccess(caller, channels.findByIdOrAlias(tx, ref, caller.keyId())
        .orElseThrow(() -> notFound(ref)));
    if (target.id().equals(selfId)) {
      throw ApiError.INVALID_FIELD.exception("A channel cannot be its own dead_letter_channel");
    }
    return target.id();
  }

  private static Channel apply(Channel c, ChannelPatch p, Instant now, QueuePolicy queue) {
    return new Channel(c.id(), c.ownerId(), c.createdByKeyId(),
        p.name() != null ? p.name() : c.name(),
        p.mode() != null ? p.mode() : c.mode(),
        p.access() != null ? p.access() : c.access(),
        p.discoverable() != null ? p.discoverable() : c.discoverable(),
        p.description() != null ? p.description() : c.description(),
        p.metadataSchemaJson() != null ? p.metadataSchemaJson() : c.metadataSchemaJson(),
        p.pinnedMessage() != null ? p.pinnedMessage().orElse(null) : c.pinnedMessage(),
        c.webhookUrl(), c.webhookSecret(), c.ttlSeconds(),
        p.retentionDays() != null ? p.retentionDays() : c.retentionDays(),
        p.maxMessages() != null ? p.maxMessages().orElse(null) : c.maxMessages(),
        p.maxWritesPerMinute() != null ? p.maxWritesPerMinute().orElse(null) : c.maxWritesPerMinute(),
        p.paused() != null ? p.paused() : c.paused(),
        c.createdAt(), now, c.aliases(), c.related(), queue, c.member());
  }

  /**
   * The clock reading, but never before the channel's created_at, which the writer allocates
   * strictly increasing and so may run a little ahead of the clock.
   */
  private static Instant updatedAt(Tx tx, Channel channel) {
    return tx.now().isBefore(channel.createdAt()) ? channel.createdAt() : tx.now();
  }

  /** contract §3.1: updated_at moves only when a PATCH changed a column. */
  private static boolean sameColumns(Channel a, Channel b) {
    return a.name().equals(b.name()) && a.mode() == b.mode() && a.access() == b.access()
        && a.discoverable() == b.discoverable() && a.description().equals(b.description())
        && a.metadataSchemaJson().equals(b.metadataSchemaJson())
        && java.util.Objects.equals(a.pinnedMessage(), b.pinnedMessage())
        && a.retentionDays() == b.retentionDays()
        && java.util.Objects.equals(a.maxMessages(), b.maxMessages())
        && java.util.Objects.equals(a.maxWritesPerMinute(), b.maxWritesPerMinute())
        && a.paused() == b.paused()
        && a.queue().equals(b.queue());
  }

  public Void delete(Tx tx, Caller caller, String identifier) {
    Channel channel = resolveOwned(tx, caller, identifier);
    channels.delete(tx, channel.id());
    tx.emit(new Committed(Committed.Kind.CHANNEL_DELETED, channel.id(), tx.nextSeq(), channel));
    return null;
  }

  public Channel aliasChannel(Tx tx, Caller caller, String identifier, String alias) {
    return addAlias(tx, caller, resolve(tx, caller, identifier).id(), alias);
  }

  /** Adds a global alias inside an enclosing write; 409 when any channel already uses it. */
  public Channel addAlias(Tx tx, Caller caller, String channelId, String alias) {
    if (channels.aliasTaken(tx, alias)) {
      throw ApiError.ALIAS_CONFLICT.exception("Channel alias '" + alias + "' is already in use");
    }
    channels.addAlias(tx, channelId, alias);
    directoryChanged(tx, channelId);
    return channels.find(tx, channelId, caller.keyId()).orElseThrow();
  }

  /** Sets {@code paused} bypassing ownership and restriction (admin, contract §4.12). */
  public Future<Channel> setPaused(String ref, boolean paused, String remoteAddr) {
    return store.write(tx -> {
      Channel channel = channels.findByIdOrAlias(tx, ref, "").orElseThrow(() -> notFound(ref));
      Channel changed = apply(channel, ChannelPatch.paused(paused), updatedAt(tx, channel), channel.queue());
      if (channel.paused() != paused) {
        channels.update(tx, changed);
        tx.emit(new Committed(Committed.Kind.CHANNEL_CHANGED, channel.id(), tx.nextSeq(), changed));
      }
      audit.record(tx, null, null, paused ? "channel.pause" : "channel.resume", remoteAddr,
          Map.of("channel_id", channel.id()));
      return channels.find(tx, channel.id(), "").orElseThrow();
    });
  }

  public Future<List<DiscoveryItem>> discover(Caller caller, Instant before, int limit) {
    return channels.discover(caller.keyId(), before, limit);
  }

  public Future<Usage> usage(Caller caller) {
    return channels.usage(caller.keyId(), clock.instant());
  }

  /** Message counts of a channel the caller has already resolved. */
  public Future<ChannelStats> stats(Channel channel) {
    return channels.stats(channel.id(), clock.instant());
  }

  /** Resolves related channels by id or alias (§4.2), skipping the channel itself and duplicates. */
  private List<String> relatedIds(Tx tx, Caller caller, List<String> refs, String selfId) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (String ref : refs) {
      Optional<Channel> related = channels.findByIdOrAlias(tx, ref, caller.keyId());
      String id = related.orElseThrow(() -> notFound(ref)).id();
      if (!id.equals(selfId)) {
        ids.add(id);
      }
    }
    return new ArrayList<>(ids);
  }

  public static ApiException notFound(String identifier) {
    return ApiError.CHANNEL_NOT_FOUND.exception("Channel '" + abbreviate(identifier) + "' not found");
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
