package dev.backchannel.channel;

import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.key.KeyHasher;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Members, invitations, channel events and access requests (contract §4.3–4.5, §5.11). */
public final class MembershipService {
  static final Duration INVITATION_LIFETIME = Duration.ofHours(24);
  static final Duration EVENT_LIFETIME = Duration.ofHours(24);

  private final Store store;
  private final ChannelService channelService;
  private final ChannelStore channels;
  private final MembershipStore memberships;
  private final KeyHasher tokens;
  private final Clock clock;
  private final ApprovalListener approvals;

  public MembershipService(Store store, ChannelService channelService, ChannelStore channels,
      MembershipStore memberships, KeyHasher tokens, Clock clock, ApprovalListener approvals) {
    this.store = store;
    this.channelService = channelService;
    this.channels = channels;
    this.memberships = memberships;
    this.tokens = tokens;
    this.clock = clock;
    this.approvals = approvals;
  }

  public Future<List<Member>> members(Caller caller, String identifier) {
    return channelService.resolveOwned(caller, identifier).compose(channel -> memberships.members(channel.id()));
  }

  /** Owner adds a key; idempotent, but records {@code member_added} every time (contract §4.4). */
  public Member addMember(Tx tx, Caller caller, String identifier, String keyId) {
    Channel channel = channelService.resolveOwned(tx, caller, identifier);
    Member member = grant(tx, channel.id(), keyId, null);
    event(tx, channel.id(), ChannelEvent.MEMBER_ADDED, caller.keyId(), keyId, null);
    return member;
  }

  public Void removeMember(Tx tx, Caller caller, String identifier, String keyId) {
    Channel channel = channelService.resolveOwned(tx, caller, identifier);
    if (channel.isOwnedBy(keyId)) {
      throw ApiError.CANNOT_REMOVE_OWNER.exception("The key that created the channel cannot be removed");
    }
    memberships.removeMember(tx, channel.id(), keyId);
    ChannelService.directoryChanged(tx, channel.id());
    tx.emit(new Committed(Committed.Kind.MEMBER_REMOVED, channel.id(), tx.nextSeq(), keyId));
    event(tx, channel.id(), ChannelEvent.MEMBER_REMOVED, caller.keyId(), keyId, null);
    return null;
  }

  public Future<List<ChannelEvent>> events(Caller caller, String identifier, Instant since, int limit) {
    return channelService.resolveOwned(caller, identifier)
        .compose(channel -> memberships.events(channel.id(), since, limit, clock.instant()));
  }

  public Invitation invite(Tx tx, Caller caller, String identifier) {
    Channel channel = channelService.resolve(tx, caller, identifier);
    Instant now = tx.now();
    Invitation invitation = new Invitation(tokens.randomToken(18), caller.ownerId(), caller.keyId(), now,
        now.plus(INVITATION_LIFETIME), null, channel);
    memberships.insertInvitation(tx, invitation);
    return memberships.findInvitation(tx, invitation.id(), caller.keyId()).orElseThrow();
  }

  /** Resolving an invitation grants the caller membership, as often as it is used (contract §4.5). */
  public Invitation resolveInvitation(Tx tx, Caller caller, String invitationId) {
    Invitation invitation = memberships.findInvitation(tx, invitationId, caller.keyId())
        .orElseThrow(() -> ApiError.INVITATION_NOT_FOUND.exception());
    if (invitation.revokedAt() != null) {
      throw ApiError.INVITATION_REVOKED.exception();
    }
    if (!invitation.expiresAt().isAfter(tx.now())) {
      throw ApiError.INVITATION_EXPIRED.exception();
    }
    String channelId = invitation.channel().id();
    grant(tx, channelId, caller.keyId(), invitation.id());
    event(tx, channelId, ChannelEvent.INVITATION_RESOLVED, caller.keyId(), caller.keyId(), invitation.id());
    return memberships.findInvitation(tx, invitationId, caller.keyId()).orElseThrow();
  }

  /** §10.2 #8: only the channel owner or the invitation's creator may revoke it. */
  public Invitation revokeInvitation(Tx tx, Caller caller, String invitationId) {
    Invitation invitation = memberships.findInvitation(tx, invitationId, caller.keyId())
        .orElseThrow(() -> ApiError.INVITATION_NOT_FOUND.exception());
    if (!invitation.createdByKeyId().equals(caller.keyId()) && !invitation.channel().isOwnedBy(caller.keyId())) {
      throw ApiError.FORBIDDEN.exception("Only the channel owner or the invitation's creator may revoke it");
    }
    if (invitation.revokedAt() == null) {
      memberships.revokeInvitation(tx, invitationId, tx.now());
      event(tx, invitation.channel().id(), ChannelEvent.INVITATION_REVOKED, caller.keyId(), null, invitationId);
    }
    return memberships.findInvitation(tx, invitationId, caller.keyId()).orElseThrow();
  }

  public AccessOutcome requestAccess(Tx tx, Caller caller, String ref, String reason) {
    Channel channel = channelService.findByIdOrAlias(tx, caller, ref);
    if (channel.access() == Access.OPEN) {
      return new AccessOutcome("open", null);
    }
    if (channel.isOwnedBy(caller.keyId()) || channel.member()) {
      return new AccessOutcome("already_member", null);
    }
    return memberships.pendingRequest(tx, channel.id(), caller.keyId())
        .map(existing -> new AccessOutcome("pending", existing.id()))
        .orElseGet(() -> {
          AccessRequest request = new AccessRequest(UUID.randomUUID().toString(), channel.id(), caller.keyId(),
              reason, "pending", tx.now());
          memberships.insertRequest(tx, request);
          return new AccessOutcome("pending", request.id());
        });
  }

  public Future<List<AccessRequest>> pendingRequests(Caller caller, String ref) {
    return ownedByIdOrAlias(caller, ref).compose(channel -> memberships.pendingRequests(channel.id()));
  }

  /** Approves or denies a pending request; approval grants membership and tells the listener (§4.3). */
  public AccessRequest decide(Tx tx, Caller caller, String ref, String requestId, boolean approve) {
    Channel channel = ownedByIdOrAlias(tx, caller, ref);
    AccessRequest request = memberships.findRequest(tx, requestId)
        .filter(r -> r.channelId().equals(channel.id()))
        .orElseThrow(() -> ApiError.ACCESS_REQUEST_NOT_FOUND.exception());
    if (!request.status().equals("pending")) {
      throw ApiError.ACCESS_REQUEST_RESOLVED.exception("Request already " + request.status());
    }
    String status = approve ? "approved" : "denied";
    memberships.resolveRequest(tx, requestId, status, tx.now(), caller.keyId());
    if (approve) {
      grant(tx, channel.id(), request.requesterKeyId(), null);
      event(tx, channel.id(), ChannelEvent.MEMBER_ADDED, caller.keyId(), request.requesterKeyId(), null);
      approvals.approved(tx, channel, request.requesterKeyId(), caller.keyId());
    }
    return new AccessRequest(request.id(), request.channelId(), request.requesterKeyId(), request.reason(), status,
        request.createdAt());
  }

  private Future<Channel> ownedByIdOrAlias(Caller caller, String ref) {
    return channelService.findByIdOrAlias(caller, ref).map(channel -> ChannelService.requireOwner(caller, channel));
  }

  private Channel ownedByIdOrAlias(Tx tx, Caller caller, String ref) {
    return ChannelService.requireOwner(caller, channelService.findByIdOrAlias(tx, caller, ref));
  }

  /**
   * Grants from the writer's ordered clock, like the creator's grant at channel creation, so
   * "oldest grant first" (contract §4.4) holds even when the wall clock stands still or steps back.
   */
  private Member grant(Tx tx, String channelId, String keyId, String invitationId) {
    ChannelService.directoryChanged(tx, channelId);
    return memberships.addMember(tx, channelId, keyId, tx.nextCreatedAt(), invitationId);
  }

  private void event(Tx tx, String channelId, String type, String actorKeyId, String subjectKeyId,
      String invitationId) {
    Instant at = tx.nextCreatedAt();
    memberships.addEvent(tx, new ChannelEvent(UUID.randomUUID().toString(), channelId, type, actorKeyId,
        subjectKeyId, invitationId, at, at.plus(EVENT_LIFETIME)));
  }
}
