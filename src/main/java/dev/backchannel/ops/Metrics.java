package dev.backchannel.ops;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * What the domain reports to operators. Implemented with Micrometer in {@link MicrometerMetrics};
 * {@link #NOOP} for tests and tools that do not export metrics. Labels come from closed sets.
 */
public interface Metrics {
  Metrics NOOP = new Metrics() {};

  /** A request entered the router; the matching {@link #request} call ends it (in-flight gauge). */
  default void requestStarted() {}

  /** A request answered by the HTTP API, labelled by route template, never by raw path. */
  default void request(String method, String route, int status, long nanos) {}

  default void connectionOpened() {}

  default void connectionClosed() {}

  default void writerBatch(int size, long nanos) {}

  default void messagePosted(String mode) {}

  /** A claim attempt: result is claimed, already_claimed, conflict, takeover. */
  default void claim(String result) {}

  default void leasesExpired(int count) {}

  /** Messages handed out again after a lease expired or a worker gave them back. */
  default void redeliveries(int count) {}

  /** Messages moved to a dead-letter channel after running out of deliveries. */
  default void deadLettered(int count) {}

  default void messagesArchived(int count) {}

  default void authFailure(String reason) {}

  default void rateLimited(String limiter) {}

  default void idempotentReplay() {}

  /** An event stream (SSE) started; every call is matched by one {@link #streamClosed()}. */
  default void streamOpened() {}

  default void streamClosed() {}

  /** A stream ended by the server because its client did not keep up (it resumes by id). */
  default void streamCutSlow() {}

  /** Events written to stream clients (one per client per event). */
  default void eventsSent(int count) {}

  /**
   * Adds a source of waiting long-poll requests to the gauge. May be called once per event loop;
   * the gauge reports the sum of every source.
   */
  default void longPollWaiters(IntSupplier waiters) {}

  /** One webhook delivery attempt by outcome, a short closed word such as delivered, failed, retried, dropped. */
  default void webhookDelivery(String outcome) {}

  /** The current backlog of claimable channels, already cut to the configured number of series. */
  default void queueDepths(List<QueueDepth> depths) {}
}
