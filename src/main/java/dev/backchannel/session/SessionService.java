package dev.backchannel.session;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.error.ApiError;
import dev.backchannel.key.Caller;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Per-key scratch sessions that live 24 hours (contract §4.10). */
public final class SessionService {
  static final Duration LIFETIME = Duration.ofHours(24);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final SessionStore sessions;
  private final Clock clock;

  public SessionService(Store store, SessionStore sessions, Clock clock) {
    this.store = store;
    this.sessions = sessions;
    this.clock = clock;
  }

  public Future<List<Session>> list(Caller caller) {
    return sessions.list(caller.keyId(), clock.instant());
  }

  public Session create(Tx tx, Caller caller, String name, ObjectNode state) {
    Session session = new Session(UUID.randomUUID().toString(), caller.keyId(), name, state.toString(), tx.now(),
        tx.now(), tx.now().plus(LIFETIME));
    sessions.insert(tx, session);
    return session;
  }

  /** Another key's session, or an expired one (§10.2 #24), is not found. */
  public Future<Session> get(Caller caller, String id) {
    return sessions.find(id).map(found -> found
        .filter(s -> s.ownerKeyId().equals(caller.keyId()) && s.expiresAt().isAfter(clock.instant()))
        .orElseThrow(SessionService::notFound));
  }

  /** Shallow-merges the given keys into the stored state; name and expiry do not change. */
  public Session merge(Tx tx, Caller caller, String id, ObjectNode changes) throws JsonProcessingException {
    Session session = owned(tx, caller, id);
    ObjectNode state = (ObjectNode) JSON.readTree(session.stateJson());
    state.setAll(changes);
    sessions.updateState(tx, id, state.toString(), tx.now());
    return sessions.find(tx, id).orElseThrow();
  }

  public Void delete(Tx tx, Caller caller, String id) {
    owned(tx, caller, id);
    sessions.delete(tx, id);
    return null;
  }

  private Session owned(Tx tx, Caller caller, String id) {
    return sessions.find(tx, id)
        .filter(s -> s.ownerKeyId().equals(caller.keyId()) && s.expiresAt().isAfter(tx.now()))
        .orElseThrow(SessionService::notFound);
  }

  private static RuntimeException notFound() {
    return ApiError.SESSION_NOT_FOUND.exception();
  }
}
