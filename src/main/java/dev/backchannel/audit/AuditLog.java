package dev.backchannel.audit;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records and reads security events (contract §4.11): who issued, revoked, paused, toggled what. */
public final class AuditLog {
  /** Contract §4.11: a caller's view is filtered from the latest 500 events instance-wide. */
  public static final int WINDOW = 500;

  private final AuditStore store;

  public AuditLog(AuditStore store) {
    this.store = store;
  }

  public void record(Tx tx, String actorKeyId, String subjectKeyId, String type, String remoteAddr,
      Map<String, Object> detail) {
    store.append(tx, new AuditEvent(UUID.randomUUID().toString(), tx.now(), actorKeyId, subjectKeyId, type,
        remoteAddr, detail));
  }

  public Future<List<AuditEvent>> involving(String keyId, int limit) {
    return store.involving(keyId, WINDOW, limit);
  }
}
