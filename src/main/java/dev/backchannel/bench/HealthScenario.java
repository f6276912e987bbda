package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;

/** {@code GET /health} in a closed loop: the HTTP ceiling of this server on this machine. */
final class HealthScenario implements Scenario {
  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    BenchRun.Cpu cpu = run.cpu();
    LoadLoop.Outcome outcome = LoadLoop.run(run.http, options.connections(), options.warmupNanos(),
        options.measureNanos(), (worker, lane) -> lane.send(GET, "/health", null, null).map(reply -> {
          reply.expect(200);
          return LoadLoop.Step.DONE;
        }));
    Result result = new Result("health", options.connections()).load(outcome, "req/s");
    cpu.perOperation(run, result, outcome.completed());
    long failed = outcome.errors().total();
    return result.check(failed == 0 && outcome.done() > 0,
        String.format("%,d answered 200, %,d did not", outcome.done(), failed));
  }
}
