package dev.backchannel.channel;

import dev.backchannel.store.Tx;

/** Told of every approved access request inside the write that grants the membership. */
@FunctionalInterface
public interface ApprovalListener {
  ApprovalListener NONE = (tx, channel, memberKeyId, approvedByKeyId) -> { };

  void approved(Tx tx, Channel channel, String memberKeyId, String approvedByKeyId);
}
