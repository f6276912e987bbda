package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The worker's flags, and the command after {@code --}. */
record WorkerOptions(Args args, List<String> command, String channel, int concurrency, Duration lease,
    Duration claimWait, String actor, JsonNode match, Duration timeout, Duration grace, boolean drain, long maxTasks,
    boolean json) {
  static final int MAX_CONCURRENCY = 256;

  static WorkerOptions parse(List<String> argv) {
    int dashes = argv.indexOf("--");
    if (dashes < 0 || dashes == argv.size() - 1) {
      throw new IllegalArgumentException("the command to run goes after --");
    }
    Args args = Args.parse(argv.subList(0, dashes));
    List<String> command = List.copyOf(argv.subList(dashes + 1, argv.size()));
    int concurrency = Integer.parseInt(args.flags().getOrDefault("concurrency", "1"));
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("--concurrency must be 1.." + MAX_CONCURRENCY);
    }
    Duration lease = WorkerCommand.seconds(args.flags().getOrDefault("lease", "300"), "lease");
    if (lease.toSeconds() < 30 || lease.toSeconds() > 3600) {
      throw new IllegalArgumentException("--lease must be 30..3600 seconds");
    }
    Duration wait = WorkerCommand.seconds(args.flags().getOrDefault("wait", "10"), "wait");
    Duration timeout = args.has("timeout") ? WorkerCommand.seconds(args.flag("timeout"), "timeout") : null;
    Duration grace = WorkerCommand.seconds(args.flags().getOrDefault("grace", "30"), "grace");
    long maxTasks = args.has("max-tasks") ? Long.parseLong(args.flag("max-tasks")) : Long.MAX_VALUE;
    return new WorkerOptions(args, command, args.flag("channel"), concurrency, lease, wait, args.flag("actor"),
        match(args.flag("match")), timeout, grace, args.has("drain"), maxTasks, args.has("json"));
  }

  private static JsonNode match(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode match = CliClient.JSON.readTree(value);
      if (match == null || !match.isObject()) {
        throw new IllegalArgumentException("--match must be a JSON object, e.g. '{\"kind\":\"resize\"}'");
      }
      return match;
    } catch (IOException e) {
      throw new IllegalArgumentException("--match must be a JSON object, e.g. '{\"kind\":\"resize\"}'");
    }
  }

  String channelPath() {
    return "/v1/channels/" + CliClient.segment(channel);
  }

  /** How often a running task's lease is renewed: a third of the lease. */
  Duration heartbeatEvery() {
    return lease.dividedBy(3);
  }
}
