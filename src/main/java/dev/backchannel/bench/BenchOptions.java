package dev.backchannel.bench;

import dev.backchannel.cli.Args;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench} was asked to do.
 *
 * @param urls the servers: one, or several nodes sharing a database, which workers are spread over
 * @param connections concurrent workers (one connection each), streams or long-poll waiters
 * @param messages tasks or messages a scenario prefills ({@code poll}, {@code claim-*}); 0 = its default
 * @param rate messages per second the {@code sse-fanout} publisher sends; 0 = one at a time, each
 *     after every stream has the previous one
 * @param key an existing API key, for servers whose minting is closed
 * @param page messages a page in {@code poll} (the server's maximum, 100, by default)
 * @param jar the server jar {@code startup} launches; {@code java} the JVM it runs on
 */
public record BenchOptions(List<URI> urls, List<String> scenarios, int connections, double durationSeconds,
    double warmupSeconds, int size, int messages, int rate, int threads, String key, boolean json, Path jar,
    String java, int runs, int page) {
  static final List<String> SCENARIOS = List.of("health", "publish", "poll", "claim-race", "claim-next", "claim-chain",
      "sse-fanout", "sse-capacity", "longpoll", "startup");

  public static BenchOptions parse(Args args, Map<String, String> env) {
    List<URI> urls = new ArrayList<>();
    for (String url : (args.has("url") ? args.flag("url") : "http://127.0.0.1:8080").split(",")) {
      URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("--url must be http://host:port[,http://host:port…], got '" + url + "'");
      }
      urls.add(uri);
    }
    List<String> scenarios = new ArrayList<>();
    for (String name : String.valueOf(args.flag("scenario")).split(",")) {
      if (!SCENARIOS.contains(name.strip())) {
        throw new IllegalArgumentException("--scenario takes one or more of " + String.join(", ", SCENARIOS)
            + " (comma-separated)");
      }
      scenarios.add(name.strip());
    }
    double duration = number(args, "duration", 10, 0.2, 3600);
    double warmup = args.has("warmup") ? number(args, "warmup", 0, 0, 600) : Math.min(1.0, duration / 10);
    String key = args.has("key") ? args.flag("key") : env.get("BACKCHANNEL_BENCH_KEY");
    return new BenchOptions(List.copyOf(urls), List.copyOf(scenarios), (int) number(args, "connections", 64, 1, 100_000),
        duration, warmup, (int) number(args, "size", 256, 16, 1_000_000), (int) number(args, "messages", 0, 0, 10_000_000),
        (int) number(args, "rate", 0, 0, 1_000_000), (int) number(args, "threads", 2, 1, 64),
        key == null || key.isBlank() ? null : key.strip(), args.has("json"),
        args.has("jar") ? Path.of(args.flag("jar")) : null, args.flag("java"), (int) number(args, "runs", 3, 1, 100),
        (int) number(args, "page", BenchRun.PAGE, 1, BenchRun.PAGE));
  }

  private static double number(Args args, String name, double fallback, double min, double max) {
    if (!args.has(name)) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(args.flag(name));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a number from " + format(min) + " to " + format(max));
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** Measurement starts after the warmup and lasts {@code durationSeconds}. */
  long measureNanos() {
    return (long) (durationSeconds * 1e9);
  }

  long warmupNanos() {
    return (long) (warmupSeconds * 1e9);
  }

  /** The first server: setup, checks and streams go there. */
  URI url() {
    return urls.get(0);
  }

  /** The number of prefilled messages: {@code --messages} or the scenario's default. */
  int messagesOr(int fallback) {
    return messages > 0 ? messages : fallback;
  }
}
