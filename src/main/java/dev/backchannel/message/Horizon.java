package dev.backchannel.message;

import java.time.Instant;

/**
 * How far back a set of channels still holds its messages: everything up to
 * {@code goneThroughSeq} (created up to {@code goneThroughAt}) has expired or been purged.
 *
 * @param goneThroughSeq 0 when nothing is gone
 * @param goneThroughAt null when nothing is gone
 * @param oldestLiveSeq the oldest message still readable, or null when there is none
 */
public record Horizon(long goneThroughSeq, Instant goneThroughAt, Long oldestLiveSeq) {
  /** Whether messages after the cursor are gone, so a reader resuming there missed some. */
  public boolean hasGapAfter(Cursor cursor) {
    if (goneThroughSeq == 0) {
      return false;
    }
    if (cursor instanceof Cursor.AfterSeq after) {
      return goneThroughSeq > after.seq();
    }
    if (cursor instanceof Cursor.AfterTime after) {
      return goneThroughAt != null && goneThroughAt.isAfter(after.at());
    }
    return true;
  }
}
