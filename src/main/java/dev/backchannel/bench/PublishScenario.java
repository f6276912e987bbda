package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.POST;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/channels/{c}/messages} in a closed loop; the server answers 201 only after COMMIT.
 * Check: every message that got a 201 is then listed, exactly once.
 */
final class PublishScenario implements Scenario {
  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    String key = run.key();
    String channel = run.channel("publish", "broadcast");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    long[] sent = new long[options.connections()];
    BenchRun.Cpu cpu = run.cpu();
    LoadLoop.Outcome outcome = LoadLoop.run(run.http, options.connections(), options.warmupNanos(),
        options.measureNanos(), (worker, lane) -> lane.send(POST, BenchRun.messagesPath(channel), key,
            BenchRun.postBody("w" + worker + "-" + sent[worker]++, options.size())).map(reply -> {
              acknowledged.add(reply.expect(201).json().path("message").path("id").asText());
              return LoadLoop.Step.DONE;
            }));
    Result result = new Result("publish", options.connections()).load(outcome, "req/s")
        .figure("body_bytes", options.size());
    cpu.perOperation(run, result, outcome.completed());
    run.progress("  listing " + acknowledged.size() + " acknowledged messages");
    return check(result, acknowledged, run.listAll(channel, null));
  }

  private static Result check(Result result, Set<String> acknowledged, BenchRun.Listing listing) {
    long missing = acknowledged.stream().filter(id -> !listing.times.containsKey(id)).count();
    long repeated = listing.times.values().stream().filter(times -> times > 1).count();
    long unacknowledged = listing.times.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
    result.figure("acknowledged", acknowledged.size()).figure("listed", listing.size());
    boolean ok = !acknowledged.isEmpty() && listing.complete && listing.ordered && missing == 0 && repeated == 0;
    return result.check(ok, String.format("%,d acknowledged with 201, %,d listed: %,d missing, %,d listed twice%s%s%s",
        acknowledged.size(), listing.size(), missing, repeated,
        unacknowledged == 0 ? "" : String.format(", %,d stored without a 201 (failed requests)", unacknowledged),
        listing.ordered ? "" : ", seqs out of order", listing.complete ? "" : ", listing incomplete"));
  }
}
