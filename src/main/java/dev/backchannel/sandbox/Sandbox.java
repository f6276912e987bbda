package dev.backchannel.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelDraft;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.QueuePolicy;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.channel.ChannelStore;
import dev.backchannel.key.ApiKey;
import dev.backchannel.key.Caller;
import dev.backchannel.key.KeyService;
import dev.backchannel.key.KeyStore;
import dev.backchannel.message.MessageDraft;
import dev.backchannel.message.MessageService;
import dev.backchannel.message.MessageStore;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The public sandbox (contract §5.13): an open, discoverable broadcast channel named and aliased
 * {@code sandbox}, owned by a built-in bot key that nobody holds. Provisioning re-applies the
 * configured TTL and limits on every start and never touches {@code paused}. The bot posts a
 * heartbeat when the channel has been quiet for a minute (never while it is paused), and the
 * sandbox is paused once if the database files outgrow {@code db_size_limit_bytes}.
 */
public final class Sandbox {
  public static final String ALIAS = "sandbox";
  public static final String BOT_LABEL = "sandbox-heartbeat-bot";
  static final String BOT_OWNER = "backchannel";
  static final Duration QUIET = Duration.ofSeconds(60);
  private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

  /** The configured shape of the sandbox channel and the database size that pauses it (0: never). */
  public record Settings(int ttlSeconds, int maxMessages, int maxWritesPerMinute, long sizeLimitBytes) {}

  private final Store store;
  private final KeyService keyService;
  private final KeyStore keys;
  private final ChannelService channelService;
  private final ChannelStore channels;
  private final MessageService messageService;
  private final MessageStore messages;
  private final Settings settings;
  private volatile Caller bot;
  private volatile String channelId;
  private volatile boolean sizeTripped;

  public Sandbox(Store store, KeyService keyService, KeyStore keys, ChannelService channelService,
      ChannelStore channels, MessageService messageService, MessageStore messages, Settings settings) {
    this.store = store;
    this.keyService = keyService;
    this.keys = keys;
    this.channelService = channelService;
    this.channels = channels;
    this.messageService = messageService;
    this.messages = messages;
    this.settings = settings;
  }

  /** Makes sure the bot key and the channel exist with the configured limits; completes with the channel id. */
  public Future<String> provision() {
    return store.write(tx -> {
      ApiKey key = keys.findActiveByLabel(tx, BOT_LABEL)
          .orElseGet(() -> keyService.issue(tx, BOT_LABEL, BOT_OWNER, null, "key.issue.sandbox").key());
      Caller caller = key.caller();
      Optional<Channel> existing = channels.findByIdOrAlias(tx, ALIAS, caller.keyId());
      if (existing.isPresent() && !existing.get().isOwnedBy(caller.keyId())) {
        LOG.warning("the alias '" + ALIAS + "' belongs to a channel the sandbox bot did not create; "
            + "the sandbox is not provisioned");
        return null;
      }
      Channel channel = existing.isPresent() ? reapply(tx, existing.get()) : create(tx, caller);
      bot = caller;
      channelId = channel.id();
      return channelId;
    });
  }

  private Channel create(Tx tx, Caller caller) {
    ChannelDraft draft = new ChannelDraft(ALIAS, ChannelMode.BROADCAST, Access.OPEN, true,
        "A public playground: any key may read and post; messages expire quickly", "{}", null, null, null,
        settings.ttlSeconds(), null, settings.maxMessages(), settings.maxWritesPerMinute(), List.of(), QueuePolicy.NONE);
    Channel channel = channelService.create(tx, caller, draft);
    return channelService.addAlias(tx, caller, channel.id(), ALIAS);
  }

  /** The configured TTL and limits; {@code paused} stays as an operator or the size check left it. */
  private Channel reapply(Tx tx, Channel c) {
    if (c.ttlSeconds() == settings.ttlSeconds() && Integer.valueOf(settings.maxMessages()).equals(c.maxMessages())
        && Integer.valueOf(settings.maxWritesPerMinute()).equals(c.maxWritesPerMinute())) {
      return c;
    }
    Channel changed = new Channel(c.id(), c.ownerId(), c.createdByKeyId(), c.name(), c.mode(), c.access(),
        c.discoverable(), c.description(), c.metadataSchemaJson(), c.pinnedMessage(), c.webhookUrl(),
        c.webhookSecret(), settings.ttlSeconds(), c.retentionDays(), settings.maxMessages(),
        settings.maxWritesPerMinute(), c.paused(), c.createdAt(), tx.now(), c.aliases(), c.related(), c.queue(),
        c.member());
    channels.update(tx, changed);
    tx.emit(new Committed(Committed.Kind.CHANNEL_CHANGED, c.id(), tx.nextSeq(), changed));
    return changed;
  }

  /** One timer tick: the size check, then the heartbeat. */
  public Future<Boolean> tick() {
    if (channelId == null) {
      return Future.succeededFuture(false);
    }
    return checkDatabaseSize().compose(paused -> heartbeat());
  }

  /** Posts a heartbeat if the channel exists, is not paused and has been quiet for a minute. */
  Future<Boolean> heartbeat() {
    return store.write(tx -> {
      Optional<Channel> channel = channels.find(tx, channelId, bot.keyId());
      if (channel.isEmpty() || channel.get().paused()) {
        return false;
      }
      Optional<Instant> latest = messages.latestCreatedAt(tx, channelId);
      if (latest.isPresent() && latest.get().isAfter(tx.now().minus(QUIET))) {
        return false;
      }
      messageService.post(tx, bot, channelId, MessageDraft.of("heartbeat: the sandbox is up at "
          + Timestamps.format(tx.now()), JsonNodeFactory.instance.objectNode(), BOT_LABEL));
      return true;
    });
  }

  /** Pauses the sandbox the first time the database files are over the limit; completes with whether it did. */
  Future<Boolean> checkDatabaseSize() {
    if (settings.sizeLimitBytes() <= 0 || sizeTripped) {
      return Future.succeededFuture(false);
    }
    return store.sizeBytes().compose(bytes -> {
      if (bytes <= settings.sizeLimitBytes()) {
        return Future.succeededFuture(false);
      }
      sizeTripped = true;
      LOG.warning("the database files take " + bytes + " bytes, over db_size_limit_bytes ("
          + settings.sizeLimitBytes() + "); pausing the sandbox channel");
      return channelService.setPaused(channelId, true, null).map(true);
    });
  }
}
