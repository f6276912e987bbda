package dev.backchannel.audit;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.List;

/** The append-only security audit log. */
public interface AuditStore {
  void append(Tx tx, AuditEvent event);

  /** The latest {@code window} events instance-wide that involve the key, newest first. */
  Future<List<AuditEvent>> involving(String keyId, int window, int limit);
}
