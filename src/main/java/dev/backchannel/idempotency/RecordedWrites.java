package dev.backchannel.idempotency;

import dev.backchannel.error.ApiError;
import dev.backchannel.store.Tx;
import dev.backchannel.store.WriteWork;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs a write inside its unit of work together with its idempotency record: a record already
 * there is replayed instead of running the write again; otherwise the write runs and a 2xx
 * answer is stored in the same transaction, so a crash can never keep one without the other.
 */
public final class RecordedWrites {
  private final IdempotencyStore records;
  private final Duration lifetime;

  /** The answer of one unit of work, and whether it was replayed from an earlier one. */
  public record Outcome(StoredResponse response, boolean replayed) {}

  public RecordedWrites(IdempotencyStore records, Duration lifetime) {
    this.records = records;
    this.lifetime = lifetime;
  }

  /**
   * Runs {@code write} (which renders its answer) unless {@code record} already holds one. Null
   * when the write answered nothing yet (a claim-next that found no work): nothing is recorded.
   */
  public Outcome run(Tx tx, IdempotencyRecord record, WriteWork<StoredResponse> write) throws Exception {
    if (record != null) {
      Optional<StoredResponse> prior = records.find(tx, record.scope(), tx.now());
      if (prior.isPresent()) {
        if (prior.get().isPending()) {
          // Left by a release that recorded the write before its response; no longer written.
          throw ApiError.IDEMPOTENCY_RESPONSE_LOST.exception().with("idempotency_key", record.key());
        }
        return new Outcome(prior.get(), true);
      }
    }
    StoredResponse response = write.run(tx);
    if (response == null) {
      return null;
    }
    // Only successes are kept (contract §5.9): a failed request may be retried and run again.
    if (record != null && response.status() >= 200 && response.status() < 300) {
      records.put(tx, record.scope(), record.keyId(), response, tx.now(), tx.now().plus(lifetime));
    }
    return new Outcome(response, false);
  }
}
