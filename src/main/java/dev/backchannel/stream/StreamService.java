package dev.backchannel.stream;

import dev.backchannel.message.Cursor;
import dev.backchannel.message.Message;
import dev.backchannel.message.MessageStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The stored side of streams: the backlog to replay and whether history before it is gone. */
public final class StreamService implements Backlog {
  private final MessageStore messages;
  private final Clock clock;

  public StreamService(MessageStore messages, Clock clock) {
    this.messages = messages;
    this.clock = clock;
  }

  @Override
  public Future<List<Message>> page(Set<String> channelIds, Cursor after, int limit) {
    return messages.after(channelIds, after, clock.instant(), limit);
  }

  @Override
  public Future<HistoryGap> gap(Set<String> channelIds, Cursor after) {
    return messages.horizon(channelIds, clock.instant())
        .map(horizon -> horizon.hasGapAfter(after) ? new HistoryGap(horizon.oldestLiveSeq()) : null);
  }
}
