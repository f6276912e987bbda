package dev.backchannel.store.jdbc;

import dev.backchannel.key.SettingsStore;
import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.Optional;

final class JdbcSettingsStore implements SettingsStore {
  private static final String SELECT = "SELECT value FROM settings WHERE key = ?";
  private static final String UPSERT =
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

  private final ReadPool reads;

  JdbcSettingsStore(ReadPool reads) {
    this.reads = reads;
  }

  @Override
  public Future<Optional<String>> get(String key) {
    return reads.one(SELECT, row -> row.text("value"), key);
  }

  @Override
  public Optional<String> find(Tx tx, String key) {
    return ((JdbcTx) tx).one(SELECT, row -> row.text("value"), key);
  }

  @Override
  public void put(Tx tx, String key, String value) {
    ((JdbcTx) tx).update(UPSERT, key, value);
  }
}
