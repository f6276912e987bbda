package dev.backchannel.bench;

import dev.backchannel.cli.Args;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bench}: load, latency and correctness of a running server, scenario by scenario. */
public final class BenchCommand {
  public static final String USAGE = """
      usage: java -jar backchannel.jar bench --url http://127.0.0.1:8080[,URL…] --scenario NAME[,NAME…] [options]

      scenarios: health, publish, poll, claim-race, claim-next, claim-chain, sse-fanout, sse-capacity, longpoll,
        startup
      options:
        --connections N   concurrent workers, streams or waiters (64)
        --duration S      measured seconds (10), after a warmup of 10 % of it, at most 1 s (--warmup S)
        --size BYTES      message content size (256)
        --messages N      messages or tasks prefilled by poll (1000) and claim-race/claim-next/claim-chain (20000)
        --page N          poll: messages a page, 1 to 100 (100)
        --rate R          sse-fanout: messages per second (default: one at a time)
        --threads T       bench event loops (2)
        --key KEY         use this key instead of minting one (also BACKCHANNEL_BENCH_KEY)
        --jar FILE        startup: the server jar to launch; --java PATH, --runs N (3)
        --json            one JSON object instead of the table
      Several --url values are nodes sharing one database: workers are spread over them round-robin,
      server CPU is their sum, and setup, checks and streams use the first.
      Exit status 0 when every scenario's correctness check passed. See docs/performance.md.
      """;

  private BenchCommand() {}

  public static int run(List<String> argv, PrintStream out, PrintStream progress, Map<String, String> env) {
    Args args = Args.parse(argv);
    if (args.has("help")) {
      out.print(USAGE);
      return 0;
    }
    if (!args.has("scenario")) {
      progress.print(USAGE);
      return 2;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      progress.println("bench: " + e.getMessage());
      return 2;
    }
    List<Result> results = new ArrayList<>();
    int lanes = options.threads();
    try (BenchHttp http = BenchHttp.open(options.urls(), lanes,
        options.connections() / lanes + 8)) {
      BenchRun run = new BenchRun(options, http, progress);
      for (String name : options.scenarios()) {
        progress.println(name + ": " + options.connections() + " connections");
        results.add(runOne(run, name));
      }
    }
    if (options.json()) {
      Report.json(out, options, results);
    } else {
      Report.table(out, options, results);
    }
    out.flush();
    return results.stream().allMatch(result -> result.checkOk) ? 0 : 1;
  }

  private static Result runOne(BenchRun run, String name) {
    try {
      return Scenario.named(name).run(run);
    } catch (BenchException e) {
      Result failed = new Result(name, run.options.connections());
      Hints.forErrors(List.of(e.getMessage())).forEach(failed::hint);
      return failed.check(false, "could not run: " + e.getMessage());
    }
  }
}
