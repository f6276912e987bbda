package dev.backchannel.store.jdbc;

import dev.backchannel.channel.AccessRequest;
import dev.backchannel.channel.ChannelEvent;
import dev.backchannel.channel.Invitation;
import dev.backchannel.channel.Member;
import dev.backchannel.channel.MembershipStore;
import dev.backchannel.store.Columns;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

final class JdbcMembershipStore implements MembershipStore {
  private static final String IS_MEMBER = "SELECT 1 FROM channel_members WHERE channel_id = ? AND key_id = ?";
  private static final String MEMBER = "SELECT * FROM channel_members WHERE channel_id = ? AND key_id = ?";
  private static final String ADD_MEMBER = """
      INSERT INTO channel_members (id, channel_id, key_id, granted_at, granted_via_invitation_id)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
  private static final String REMOVE_MEMBER = "DELETE FROM channel_members WHERE channel_id = ? AND key_id = ?";
  private static final String MEMBERS = "SELECT * FROM channel_members WHERE channel_id = ? ORDER BY granted_at, rowid";
  private static final String ADD_EVENT = """
      INSERT INTO channel_events (id, seq, channel_id, event_type, actor_key_id, subject_key_id, invitation_id,
        created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String EVENTS = """
      SELECT * FROM channel_events WHERE channel_id = ? AND created_at > ? AND expires_at > ?
      ORDER BY created_at, seq LIMIT ?""";
  private static final String INSERT_INVITATION = """
      INSERT INTO channel_invitations (id, channel_id, owner_id, created_by_key_id, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?)""";
  private static final String INVITATION = "SELECT * FROM channel_invitations WHERE id = ?";
  private static final String REVOKE_INVITATION =
      "UPDATE channel_invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
  private static final String PENDING_REQUEST =
      "SELECT * FROM access_requests WHERE channel_id = ? AND requester_key_id = ? AND status = 'pending'";
  private static final String REQUEST = "SELECT * FROM access_requests WHERE id = ?";
  private static final String INSERT_REQUEST = """
      INSERT INTO access_requests (id, channel_id, requester_key_id, reason, status, created_at)
      VALUES (?, ?, ?, ?, 'pending', ?)""";
  private static final String RESOLVE_REQUEST =
      "UPDATE access_requests SET status = ?, resolved_at = ?, resolved_by_key_id = ? WHERE id = ?";
  private static final String PENDING_REQUESTS =
      "SELECT * FROM access_requests WHERE channel_id = ? AND status = 'pending' ORDER BY created_at, rowid";

  private static final String PURGE_INVITATIONS =
      "DELETE FROM channel_invitations WHERE expires_at <= ? OR revoked_at IS NOT NULL";
  private static final String PURGE_EVENTS = "DELETE FROM channel_events WHERE expires_at <= ?";

  private final ReadPool reads;
  private final JdbcChannelStore channels;

  JdbcMembershipStore(ReadPool reads, JdbcChannelStore channels) {
    this.reads = reads;
    this.channels = channels;
  }

  @Override
  public boolean isMember(Tx tx, String channelId, String keyId) {
    return sql(tx).exists(IS_MEMBER, channelId, keyId);
  }

  @Override
  public Member addMember(Tx tx, String channelId, String keyId, Instant at, String viaInvitationId) {
    sql(tx).channelRows().forget();
    sql(tx).update(ADD_MEMBER, UUID.randomUUID().toString(), channelId, keyId, at, viaInvitationId);
    return sql(tx).one(MEMBER, JdbcMembershipStore::member, channelId, keyId).orElseThrow();
  }

  @Override
  public boolean removeMember(Tx tx, String channelId, String keyId) {
    sql(tx).channelRows().forget();
    return sql(tx).update(REMOVE_MEMBER, channelId, keyId) > 0;
  }

  @Override
  public Future<List<Member>> members(String channelId) {
    return reads.list(MEMBERS, JdbcMembershipStore::member, channelId);
  }

  @Override
  public void addEvent(Tx tx, ChannelEvent e) {
    sql(tx).update(ADD_EVENT, e.id(), tx.nextSeq(), e.channelId(), e.eventType(), e.actorKeyId(),
        e.subjectKeyId(), e.invitationId(), e.createdAt(), e.expiresAt());
  }

  @Override
  public Future<List<ChannelEvent>> events(String channelId, Instant since, int limit, Instant now) {
    long after = since == null ? Long.MIN_VALUE : Timestamps.micros(since);
    return reads.list(EVENTS, row -> new ChannelEvent(
        row.text("id"),
        row.text("channel_id"),
        row.text("event_type"),
        row.text("actor_key_id"),
        row.text("subject_key_id"),
        row.text("invitation_id"),
        row.instant("created_at"),
        row.instant("expires_at")), channelId, after, Timestamps.micros(now), limit);
  }

  @Override
  public void insertInvitation(Tx tx, Invitation i) {
    sql(tx).update(INSERT_INVITATION, i.id(), i.channel().id(), i.ownerId(), i.createdByKeyId(), i.createdAt(),
        i.expiresAt());
  }

  @Override
  public Optional<Invitation> findInvitation(Tx tx, String id, String keyId) {
    return sql(tx).one(INVITATION, InvitationRow::of, id)
        .flatMap(row -> channels.find(tx, row.channelId(), keyId).map(row::with));
  }

  private record InvitationRow(String id, String channelId, String ownerId, String createdByKeyId,
      Instant createdAt, Instant expiresAt, Instant revokedAt) {
    static InvitationRow of(Columns row) {
      return new InvitationRow(row.text("id"), row.text("channel_id"), row.text("owner_id"),
          row.text("created_by_key_id"), row.instant("created_at"), row.instant("expires_at"),
          row.instantOrNull("revoked_at"));
    }

    Invitation with(dev.backchannel.channel.Channel channel) {
      return new Invitation(id, ownerId, createdByKeyId, createdAt, expiresAt, revokedAt, channel);
    }
  }

  @Override
  public void revokeInvitation(Tx tx, String id, Instant at) {
    sql(tx).update(REVOKE_INVITATION, at, id);
  }

  @Override
  public Optional<AccessRequest> pendingRequest(Tx tx, String channelId, String keyId) {
    return sql(tx).one(PENDING_REQUEST, JdbcMembershipStore::request, channelId, keyId);
  }

  @Override
  public Optional<AccessRequest> findRequest(Tx tx, String id) {
    return sql(tx).one(REQUEST, JdbcMembershipStore::request, id);
  }

  @Override
  public void insertRequest(Tx tx, AccessRequest r) {
    sql(tx).update(INSERT_REQUEST, r.id(), r.channelId(), r.requesterKeyId(), r.reason(), r.createdAt());
  }

  @Override
  public void resolveRequest(Tx tx, String id, String status, Instant at, String byKeyId) {
    sql(tx).update(RESOLVE_REQUEST, status, at, byKeyId, id);
  }

  @Override
  public Future<List<AccessRequest>> pendingRequests(String channelId) {
    return reads.list(PENDING_REQUESTS, JdbcMembershipStore::request, channelId);
  }

  @Override
  public int purgeInvitations(Tx tx, Instant now) {
    return sql(tx).update(PURGE_INVITATIONS, now);
  }

  @Override
  public int purgeEvents(Tx tx, Instant now) {
    return sql(tx).update(PURGE_EVENTS, now);
  }

  private static Member member(Columns row) {
    return new Member(row.text("id"), row.text("channel_id"), row.text("key_id"), row.instant("granted_at"),
        row.text("granted_via_invitation_id"));
  }

  private static AccessRequest request(Columns row) {
    return new AccessRequest(row.text("id"), row.text("channel_id"), row.text("requester_key_id"),
        row.text("reason"), row.text("status"), row.instant("created_at"));
  }

  private static JdbcTx sql(Tx tx) {
    return (JdbcTx) tx;
  }
}
