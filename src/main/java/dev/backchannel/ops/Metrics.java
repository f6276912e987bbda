package dev.backchannel.ops;

/**
 * What the domain reports to operators. Implemented with Micrometer in {@link MicrometerMetrics};
 * {@link #NOOP} for tests and tools that do not export metrics.
 */
public interface Metrics {
  Metrics NOOP = new Metrics() {};

  /** A request answered by the HTTP API, labelled by route template, never by raw path. */
  default void request(String method, String route, int status, long nanos) {}

  default void writerBatch(int size, long nanos) {}

  default void messagePosted(String mode) {}

  /** A claim attempt: result is claimed, already_claimed, conflict, takeover. */
  default void claim(String result) {}

  default void leasesExpired(int count) {}

  default void messagesArchived(int count) {}

  default void authFailure(String reason) {}

  default void rateLimited(String limiter) {}

  default void idempotentReplay() {}

  /** One webhook attempt's outcome: delivered, failed, refused (SSRF guard), abandoned (after the last try). */
  default void webhookDelivery(String outcome) {}
}
