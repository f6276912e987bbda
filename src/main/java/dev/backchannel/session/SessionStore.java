package dev.backchannel.session;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of sessions. */
public interface SessionStore {
  Future<Optional<Session>> find(String id);

  Optional<Session> find(Tx tx, String id);

  /** The key's sessions that have not expired, newest first. */
  Future<List<Session>> list(String ownerKeyId, Instant now);

  void insert(Tx tx, Session session);

  void updateState(Tx tx, String id, String stateJson, Instant at);

  boolean delete(Tx tx, String id);

  int purgeExpired(Tx tx, Instant now);
}
