package dev.backchannel.testing;

import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition the server reaches on its own threads, with a bound, instead of sleeping. */
public final class Await {
  public static final Duration DEFAULT = Duration.ofSeconds(10);
  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

  private Await() {}

  /** Returns as soon as {@code condition} holds; fails naming {@code what} after {@code limit}. */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  /** The first non-null value {@code probe} gives within the default limit. */
  public static <T> T value(String what, Supplier<T> probe) {
    Object[] found = new Object[1];
    until(what, () -> (found[0] = probe.get()) != null);
    @SuppressWarnings("unchecked")
    T value = (T) found[0];
    return value;
  }

  /** Until at least {@code count} requests (long-polls, claim-next with wait) are parked on the server. */
  public static void longPollWaiters(TestServer server, int count) {
    until(count + " long-poll waiter(s)", () -> {
      var gauge = server.server().registry().find("backchannel.longpoll.waiters").gauge();
      return gauge != null && gauge.value() >= count;
    });
  }

  /** Until the server has answered {@code count} requests on {@code route} (its metrics count them last). */
  public static void requestsAnswered(TestServer server, String route, int count) {
    until(count + " answered request(s) on " + route, () -> answered(server, route) >= count);
  }

  /** Until the server has answered {@code count} {@code method} requests on {@code route}. */
  public static void requestsAnswered(TestServer server, String method, String route, int count) {
    until(count + " answered " + method + " request(s) on " + route, () -> answered(server, method, route) >= count);
  }

  /** Requests answered so far on {@code route}, a metrics path such as {@code /v1/channels/{id}/messages}. */
  public static int answered(TestServer server, String route) {
    return count(server.server().registry().find("backchannel.requests").tag("path", route));
  }

  /** {@code method} requests answered so far on {@code route}. */
  public static int answered(TestServer server, String method, String route) {
    return count(server.server().registry().find("backchannel.requests").tag("path", route).tag("method", method));
  }

  private static int count(Search search) {
    return (int) search.counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
