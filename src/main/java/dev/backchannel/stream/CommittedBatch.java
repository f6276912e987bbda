package dev.backchannel.stream;

import dev.backchannel.store.Committed;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/** What one writer transaction committed, carried on the local event bus to every hub. */
public record CommittedBatch(List<Committed> events) {
  /** The event-bus address every {@link Hub} listens on. */
  public static final String ADDRESS = "backchannel.committed";

  /** Passes the batch by reference: it never leaves the process. */
  public static final class LocalCodec implements MessageCodec<CommittedBatch, CommittedBatch> {
    @Override
    public void encodeToWire(Buffer buffer, CommittedBatch batch) {
      throw new UnsupportedOperationException("committed batches stay in this process");
    }

    @Override
    public CommittedBatch decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("committed batches stay in this process");
    }

    @Override
    public CommittedBatch transform(CommittedBatch batch) {
      return batch;
    }

    @Override
    public String name() {
      return "committed-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
