package dev.backchannel;

import dev.backchannel.channel.ChannelService;
import dev.backchannel.stream.CommitFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Channels: keeps the channel cache current by dropping what each commit changed, before it is answered. */
final class ChannelsVerticle extends VerticleBase {
  private final ChannelService channels;
  private final CommitFeed commits;
  private Runnable unsubscribe = () -> { };

  ChannelsVerticle(ChannelService channels, CommitFeed commits) {
    this.channels = channels;
    this.commits = commits;
  }

  @Override
  public Future<?> start() {
    unsubscribe = commits.subscribe(channels::onCommitted);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    unsubscribe.run();
    return Future.succeededFuture();
  }
}
