package dev.backchannel.message;

import dev.backchannel.channel.Channel;
import dev.backchannel.store.Tx;

/** Told of every message post inside the write that posts it, so what it queues commits with the post. */
@FunctionalInterface
public interface PostListener {
  PostListener NONE = (tx, channel, message) -> { };

  void posted(Tx tx, Channel channel, Message message);
}
