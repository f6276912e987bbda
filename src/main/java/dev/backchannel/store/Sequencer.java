package dev.backchannel.store;

import java.time.Instant;

/**
 * Allocates the global sequence and message timestamps of one transaction. Both are strictly
 * increasing in commit order: a reader that has seen {@code seq = n} committed never later sees a
 * commit with a smaller one (what cursors and {@code since} rely on).
 */
public interface Sequencer {
  long nextSeq();

  /**
   * The next message timestamp: {@code now}, or one microsecond past the previous one if the clock
   * has not advanced, so timestamps are unique and in commit order (contract §5.1).
   */
  Instant nextCreatedAt(Instant now);
}
