package dev.backchannel;

import dev.backchannel.key.KeyService;
import dev.backchannel.stream.CommitFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Keys: loads the minting switch and the stream-token secret, and keeps the auth cache current by
 * dropping a key's entry when a commit revokes or changes it (before that commit is answered).
 */
final class KeysVerticle extends VerticleBase {
  private final KeyService keys;
  private final CommitFeed commits;
  private Runnable unsubscribe = () -> { };

  KeysVerticle(KeyService keys, CommitFeed commits) {
    this.keys = keys;
    this.commits = commits;
  }

  @Override
  public Future<?> start() {
    unsubscribe = commits.subscribe(keys::onCommitted);
    return keys.start();
  }

  @Override
  public Future<?> stop() {
    unsubscribe.run();
    return Future.succeededFuture();
  }
}
