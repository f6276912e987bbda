package dev.backchannel;

import dev.backchannel.message.LeaseTokens;
import dev.backchannel.time.Ticker;

/**
 * The sources of time and randomness that decide behaviour besides the wall clock: the monotonic
 * ticker behind cache lifetimes, and lease tokens. Production uses {@link #SYSTEM}.
 */
public record Seams(Ticker ticker, LeaseTokens leaseTokens) {
  public static final Seams SYSTEM = new Seams(Ticker.SYSTEM, LeaseTokens.RANDOM);
}
