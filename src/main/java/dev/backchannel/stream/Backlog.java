package dev.backchannel.stream;

import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/** The stored messages a resuming stream replays before it goes live. */
public interface Backlog {
  /** Live messages of these channels after the cursor, in sequence order. */
  Future<List<Message>> page(Set<String> channelIds, Cursor after, int limit);

  /**
   * The oldest sequence number still held when messages after the cursor are gone (expired or
   * purged), so the client must be told about the gap; null when nothing is missing.
   */
  Future<HistoryGap> gap(Set<String> channelIds, Cursor after);

  /** A resume point older than what is still held. */
  record HistoryGap(Long oldestSeq) {}
}
