package dev.backchannel;

import dev.backchannel.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Owns the opened store: deployed first, so it is undeployed last, after every verticle that
 * writes. Its stop drains the writer (every acknowledged write is already committed) and
 * checkpoints the database.
 */
final class StoreVerticle extends VerticleBase {
  private final Store store;

  StoreVerticle(Store store) {
    this.store = store;
  }

  @Override
  public Future<?> stop() {
    return store.close();
  }
}
