package dev.backchannel.channel;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of members, invitations, channel events and access requests of restricted channels. */
public interface MembershipStore {
  boolean isMember(Tx tx, String channelId, String keyId);

  /** Inserts the membership unless it exists; returns the stored row either way. */
  Member addMember(Tx tx, String channelId, String keyId, Instant at, String viaInvitationId);

  boolean removeMember(Tx tx, String channelId, String keyId);

  Future<List<Member>> members(String channelId);

  void addEvent(Tx tx, ChannelEvent event);

  /** Unexpired events created strictly after {@code since} (null: all), oldest first. */
  Future<List<ChannelEvent>> events(String channelId, Instant since, int limit, Instant now);

  void insertInvitation(Tx tx, Invitation invitation);

  /** The invitation with its channel as seen by {@code keyId}. */
  Optional<Invitation> findInvitation(Tx tx, String id, String keyId);

  void revokeInvitation(Tx tx, String id, Instant at);

  Optional<AccessRequest> pendingRequest(Tx tx, String channelId, String keyId);

  Optional<AccessRequest> findRequest(Tx tx, String id);

  void insertRequest(Tx tx, AccessRequest request);

  void resolveRequest(Tx tx, String id, String status, Instant at, String byKeyId);

  Future<List<AccessRequest>> pendingRequests(String channelId);

  /** Deletes invitations that expired or were revoked; returns how many. */
  int purgeInvitations(Tx tx, Instant now);

  /** Deletes channel events past their 24-hour lifetime; returns how many. */
  int purgeEvents(Tx tx, Instant now);
}
