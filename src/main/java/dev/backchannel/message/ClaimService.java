package dev.backchannel.message;

import dev.backchannel.actor.Actor;
import dev.backchannel.actor.ActorService;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The claim lifecycle (contract §4.7, §5.5–5.7): claim, claim with lease, heartbeat, release,
 * ack. Every step runs inside one write, so "first valid claim wins" holds by construction; the
 * conditional UPDATE in the store keeps it true for stores with several writers.
 */
public final class ClaimService {
  private final LeaseTokens leaseTokens;
  private final Store store;
  private final MessageStore messages;
  private final ChannelService channels;
  private final ActorService actors;
  private final Metrics metrics;

  public ClaimService(Store store, MessageStore messages, ChannelService channels, ActorService actors,
      Metrics metrics, LeaseTokens leaseTokens) {
    this.leaseTokens = leaseTokens;
    this.store = store;
    this.messages = messages;
    this.channels = channels;
    this.actors = actors;
    this.metrics = metrics;
  }

  public ClaimResult claim(Tx tx, Caller caller, String messageId, String actor, String metadataJson) {
    Message message = live(tx, messageId);
    Actor claimer = claimableBy(tx, caller, message, actor);
    return claim(tx, caller, message, claimer, metadataJson);
  }

  /** Claims a message already checked for existence, expiry, mode and access. */
  ClaimResult claim(Tx tx, Caller caller, Message message, Actor claimer, String metadataJson) {
    Instant now = tx.now();
    if (message.isClaimed() && message.claimedBy().id().equals(claimer.id())) {
      metrics.claim("already_claimed");
      return new ClaimResult(message.isAcked() ? "already_acknowledged" : "already_claimed", message);
    }
    boolean takeover = message.isClaimed();
    if (takeover && (message.isAcked() || message.hasLiveHoldAt(now))) {
      metrics.claim("conflict");
      throw alreadyClaimed();
    }
    if (!messages.claim(tx, message.id(), claimer.ref(), caller.keyId(), now, null, null, now)) {
      metrics.claim("conflict");
      throw alreadyClaimed();
    }
    recordClaim(tx, caller, message, claimer, metadataJson, takeover);
    tx.afterCommit(() -> metrics.claim(takeover ? "takeover" : "claimed"));
    return new ClaimResult("claimed", changed(tx, message, Committed.Kind.MESSAGE_CLAIMED));
  }

  public Lease claimWithLease(Tx tx, Caller caller, String messageId, String actor, Duration leaseTime,
      String metadataJson) {
    Message message = live(tx, messageId);
    Actor claimer = claimableBy(tx, caller, message, actor);
    return leaseClaim(tx, caller, message, claimer, leaseTime, metadataJson);
  }

  /** A fresh lease token (claim-next takes its token here too). */
  String newLeaseToken() {
    return leaseTokens.next();
  }

  /** Claims a checked message with a fresh lease, taking over an expired one (contract §4.7). */
  Lease leaseClaim(Tx tx, Caller caller, Message message, Actor claimer, Duration leaseTime, String metadataJson) {
    Instant now = tx.now();
    if (message.isClaimed() && (message.isAcked() || message.hasLiveHoldAt(now))) {
      metrics.claim("conflict");
      throw alreadyClaimed();
    }
    String token = leaseTokens.next();
    Instant expiresAt = now.plus(leaseTime);
    if (!messages.claim(tx, message.id(), claimer.ref(), caller.keyId(), now, token, expiresAt, now)) {
      metrics.claim("conflict");
      throw alreadyClaimed();
    }
    recordClaim(tx, caller, message, claimer, metadataJson, message.isClaimed());
    String result = message.isClaimed() ? "takeover" : "claimed";
    tx.afterCommit(() -> metrics.claim(result));
    return new Lease(token, expiresAt, changed(tx, message, Committed.Kind.MESSAGE_CLAIMED));
  }

  /** Records a claim-next the store already made (the message as claimed): its event, metric and commit event. */
  Lease leased(Tx tx, Caller caller, Message claimed, Actor claimer, String token, Instant expiresAt) {
    recordClaim(tx, caller, claimed, claimer, "{}", false);
    tx.afterCommit(() -> metrics.claim("claimed"));
    tx.emit(new Committed(Committed.Kind.MESSAGE_CLAIMED, claimed.channelId(), tx.nextSeq(), claimed));
    return new Lease(token, expiresAt, claimed);
  }

  /** Extends a live lease to now + leaseTime; only the key holding it may (§10.2 #8). */
  public Lease heartbeat(Tx tx, Caller caller, String token, Duration leaseTime, Long fence) {
    Message message = messages.findByLease(tx, token)
        .filter(m -> m.leaseExpiresAt() != null && m.leaseExpiresAt().isAfter(tx.now()))
        .orElseThrow(() -> ApiError.LEASE_EXPIRED.exception());
    if (!caller.keyId().equals(message.claimedByKeyId())) {
      throw ApiError.FORBIDDEN.exception("Only the key holding the lease may heartbeat it");
    }
    requireFence(message, fence);
    Instant expiresAt = tx.now().plus(leaseTime);
    messages.renewLease(tx, message.id(), expiresAt);
    changed(tx, message, Committed.Kind.LEASE_RENEWED);
    return new Lease(token, expiresAt, null);
  }

  /** Returns a claimed message to the pool, lease included (§10.2 #9). Only the claiming actor may. */
  public ClaimResult release(Tx tx, Caller caller, String messageId, String actor, Long fence) {
    Message message = live(tx, messageId);
    Actor releaser = holder(tx, caller, message, actor, fence);
    messages.clearClaim(tx, message.id());
    messages.recordEvent(tx, event(tx, caller, message, releaser, MessageEvent.RELEASE, "{}"));
    return new ClaimResult("released", changed(tx, message, Committed.Kind.MESSAGE_RELEASED));
  }

  /** Acknowledges a message as an actor, once per actor, in either mode, with or without a claim. */
  public ClaimResult ack(Tx tx, Caller caller, String messageId, String actor, String metadataJson, Long fence) {
    Message message = live(tx, messageId);
    requireFence(message, fence);
    return ack(tx, caller, message, actor, metadataJson);
  }

  /**
   * The actor holding the claim, for release and nack: the message must be claimed (409
   * not_claimed), by this actor (403), under this fence if one is given (409 stale_claim).
   */
  Actor holder(Tx tx, Caller caller, Message message, String actor, Long fence) {
    requireClaimable(tx, caller, message);
    if (!message.isClaimed()) {
      throw ApiError.NOT_CLAIMED.exception();
    }
    Actor holder = actors.resolveOrCreate(tx, caller, actor);
    if (!message.claimedBy().id().equals(holder.id())) {
      throw ApiError.FORBIDDEN.exception("Only the claiming actor may release this message");
    }
    requireFence(message, fence);
    return holder;
  }

  /** Extensions §4: a worker whose claim was taken over cannot complete the task a second time. */
  static void requireFence(Message message, Long fence) {
    if (fence != null && fence != message.fence()) {
      throw ApiError.STALE_CLAIM.exception("Fence " + fence + " is stale: the message is now at fence "
          + message.fence() + " (its lease was taken over)").with("current_fence", message.fence());
    }
  }

  ClaimResult ack(Tx tx, Caller caller, Message message, String actor, String metadataJson) {
    channels.reload(tx, caller, message.channelId());
    Actor acker = actors.resolveOrCreate(tx, caller, actor);
    if (messages.hasAcked(tx, message.id(), acker.id())) {
      return new ClaimResult("already_acknowledged", message);
    }
    messages.addAck(tx, message.id(), acker.ref(), tx.now());
    messages.recordEvent(tx, event(tx, caller, message, acker, MessageEvent.ACK, metadataJson));
    return new ClaimResult("acknowledged", changed(tx, message, Committed.Kind.MESSAGE_ACKED));
  }

  /** {@code /v1/tasks/claim}: the oldest unclaimed message of the channel the caller can win, if any. */
  public Optional<Message> claimFirst(Tx tx, Caller caller, String identifier, String actor, String metadataJson) {
    Channel channel = channels.resolve(tx, caller, identifier);
    if (!channel.isClaimable()) {
      return Optional.empty();
    }
    Actor claimer = actors.resolveOrCreate(tx, caller, actor);
    for (Message candidate : messages.unclaimed(tx, channel.id(), tx.now(), 20)) {
      ClaimResult result = claim(tx, caller, candidate, claimer, metadataJson);
      if (result.status().equals("claimed")) {
        return Optional.of(result.message());
      }
    }
    return Optional.empty();
  }


  /** The deprecated claim-then-ack verb; repeating it as the same actor is not a conflict (§10.2 #19). */
  public Message claimAndAck(Tx tx, Caller caller, String messageId, String actor, String metadataJson) {
    Message message = live(tx, messageId);
    Actor claimer = claimableBy(tx, caller, message, actor);
    ClaimResult claimed = claim(tx, caller, message, claimer, metadataJson);
    return ack(tx, caller, claimed.message(), claimer.id(), metadataJson).message();
  }

  /** An existing, visible (not delayed), unexpired message; contract §4.7 order: 404 then 410. */
  Message live(Tx tx, String messageId) {
    Message message = messages.find(tx, messageId)
        .filter(m -> m.isVisibleAt(tx.now()))
        .orElseThrow(MessageService::notFound);
    if (message.isExpiredAt(tx.now())) {
      throw ApiError.MESSAGE_EXPIRED.exception();
    }
    return message;
  }

  /** Contract §4.7 order after existence and expiry: mode (409), access (403), then the actor. */
  private Actor claimableBy(Tx tx, Caller caller, Message message, String actor) {
    requireClaimable(tx, caller, message);
    return actors.resolveOrCreate(tx, caller, actor);
  }

  void requireClaimable(Tx tx, Caller caller, Message message) {
    Channel channel = channels.load(tx, caller, message.channelId());
    if (!channel.isClaimable()) {
      throw ApiError.CHANNEL_NOT_CLAIMABLE.exception("Channel '" + channel.name() + "' is a broadcast channel");
    }
    channels.requireAccess(caller, channel);
  }

  private void recordClaim(Tx tx, Caller caller, Message message, Actor claimer, String metadataJson,
      boolean takeover) {
    String metadata = takeover
        ? "{\"reclaimed_from\":\"" + message.claimedBy().id() + "\",\"claim\":" + metadataJson + "}"
        : metadataJson;
    messages.recordEvent(tx, event(tx, caller, message, claimer, MessageEvent.CLAIM, metadata));
  }

  void recordEvent(Tx tx, MessageEvent event) {
    messages.recordEvent(tx, event);
  }

  MessageEvent event(Tx tx, Caller caller, Message message, Actor actor, String type, String metadataJson) {
    return new MessageEvent(UUID.randomUUID().toString(), message.id(), message.channelId(), actor.id(), actor.name(),
        caller.keyId(), type, metadataJson == null ? "{}" : metadataJson, tx.now());
  }

  Message changed(Tx tx, Message before, Committed.Kind kind) {
    Message after = messages.find(tx, before.id()).orElseThrow();
    tx.emit(new Committed(kind, after.channelId(), tx.nextSeq(), after));
    return after;
  }

  private static RuntimeException alreadyClaimed() {
    return ApiError.ALREADY_CLAIMED.exception("This message has already been claimed");
  }
}
