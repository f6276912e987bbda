package dev.backchannel.key;

import dev.backchannel.store.Tx;
import io.vertx.core.Future;
import java.util.Optional;

/** Runtime settings that survive restarts, such as the public minting switch. */
public interface SettingsStore {
  Future<Optional<String>> get(String key);

  Optional<String> find(Tx tx, String key);

  void put(Tx tx, String key, String value);
}
