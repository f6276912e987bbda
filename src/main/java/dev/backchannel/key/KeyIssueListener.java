package dev.backchannel.key;

import dev.backchannel.store.Tx;

/** Told of every key minted, inside the minting transaction, so it can add what a key comes with. */
@FunctionalInterface
public interface KeyIssueListener {
  void issued(Tx tx, ApiKey key);
}
