package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Workers draining a prefilled claimable channel, each task claimed then acknowledged.
 * {@code claim-race} is the contract's pattern: list unclaimed messages, claim one picked at
 * random, and on {@code 409} list again. {@code claim-next} asks the server for the next task
 * ({@code 200} with lease and fence, {@code 204} when empty) and acks with the fence.
 * {@code claim-chain} claims once, then each ack asks for the next task too ({@code next} in the
 * ack body): one request a task.
 * Check: each task acknowledged exactly once, acknowledged + still unclaimed = prefilled, and for
 * claim-next and claim-chain no task handed out twice and no 409.
 */
final class ClaimScenario implements Scenario {
  static final int DEFAULT_TASKS = 20_000;
  /** A worker that loses this many races in a row for one task gives up on the attempt (counted as an error). */
  static final int MAX_RACES = 1_000;

  /** How a worker gets its tasks. */
  enum Mode {
    RACE("claim-race"), NEXT("claim-next"), CHAIN("claim-chain");

    final String scenario;

    Mode(String scenario) {
      this.scenario = scenario;
    }
  }

  private final Mode mode;

  ClaimScenario(Mode mode) {
    this.mode = mode;
  }

  private String name() {
    return mode.scenario;
  }

  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    String key = run.key();
    String channel = run.channel(name(), "claimable");
    long tasks = run.prefill(channel, options.messagesOr(DEFAULT_TASKS), options.size());
    Map<String, Integer> handedOut = new ConcurrentHashMap<>();
    Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    LongAdder conflicts = new LongAdder();
    BenchRun.Cpu cpu = run.cpu();
    Worker worker = new Worker(run, key, channel, handedOut, acknowledged, conflicts);
    LoadLoop.Outcome outcome = LoadLoop.run(run.http, options.connections(), options.warmupNanos(),
        options.measureNanos(), switch (mode) {
          case RACE -> worker::raceAndAck;
          case NEXT -> worker::claimNextAndAck;
          case CHAIN -> worker::ackAndClaimNext;
        });
    Result result = new Result(name(), options.connections()).load(outcome, "tasks/s");
    cpu.perOperation(run, result, outcome.completed());
    result.figure("tasks_prefilled", tasks).figure("conflicts_409", conflicts.sum())
        .figure("drained", outcome.seconds() < options.durationSeconds() * 0.99);
    run.progress("  counting unclaimed tasks");
    BenchRun.Listing remaining = run.listAll(channel, "unclaimed");
    long twice = acknowledged.values().stream().filter(times -> times > 1).count();
    long duplicates = handedOut.values().stream().filter(times -> times > 1).count();
    long accounted = acknowledged.size() + remaining.size() + worker.holding();
    boolean ok = !acknowledged.isEmpty() && twice == 0 && duplicates == 0 && accounted == tasks && remaining.complete
        && (mode == Mode.RACE || conflicts.sum() == 0);
    return result.check(ok, String.format("%,d acked exactly once, %,d acked twice, %,d duplicates, %,d 409s; "
        + "acked + still unclaimed + held by a worker = %,d of %,d prefilled", acknowledged.size() - twice, twice,
        duplicates, conflicts.sum(), accounted, tasks));
  }

  /** The two ways of getting one task done; each completes on the worker's lane. */
  private static final class Worker {
    private final String key;
    private final String channel;
    private final int page;
    private final Map<String, Integer> handedOut;
    private final Map<String, Integer> acknowledged;
    private final LongAdder conflicts;
    /** Per worker, the claim its next ack completes; each worker's steps run one after another. */
    private final JsonNode[] held;

    Worker(BenchRun run, String key, String channel, Map<String, Integer> handedOut,
        Map<String, Integer> acknowledged, LongAdder conflicts) {
      this.key = key;
      this.channel = channel;
      this.page = Math.min(BenchRun.PAGE, Math.max(10, run.options.connections()));
      this.handedOut = handedOut;
      this.acknowledged = acknowledged;
      this.conflicts = conflicts;
      this.held = new JsonNode[run.options.connections()];
    }

    Future<LoadLoop.Step> claimNextAndAck(int worker, BenchHttp.Lane lane) {
      String actor = actor(worker);
      return claimNext(lane, actor).compose(lease -> lease == null ? Future.succeededFuture(LoadLoop.Step.STOP)
          : ack(lane, lease.path("message").path("id").asText(), actor + ",\"fence\":" + lease.path("fence").asLong()
              + "}"));
    }

    /** One step, one request: acks the held task and takes the next with it (the first step claims first). */
    Future<LoadLoop.Step> ackAndClaimNext(int worker, BenchHttp.Lane lane) {
      String actor = actor(worker);
      Future<JsonNode> holding = held[worker] != null ? Future.succeededFuture(held[worker]) : claimNext(lane, actor);
      return holding.compose(lease -> {
        if (lease == null) {
          return Future.succeededFuture(LoadLoop.Step.STOP);
        }
        String id = lease.path("message").path("id").asText();
        String body = actor + ",\"fence\":" + lease.path("fence").asLong() + ",\"next\":{\"lease_seconds\":300}}";
        return lane.send(POST, "/v1/messages/" + id + "/ack", key, body).map(reply -> {
          JsonNode answer = reply.expect(200).json();
          if ("acknowledged".equals(answer.path("status").asText())) {
            acknowledged.merge(id, 1, Integer::sum);
          }
          JsonNode next = answer.path("next");
          held[worker] = next.isObject() ? handOut(next) : null;
          return LoadLoop.Step.DONE;
        });
      });
    }

    /** Tasks claimed and not yet acked when the run ended (claim-chain workers hold one each). */
    long holding() {
      return Arrays.stream(held).filter(Objects::nonNull).count();
    }

    private static String actor(int worker) {
      return "{\"actor\":\"w" + worker + "\"";
    }

    /** A claim-next: the lease, or null when the queue is empty. */
    private Future<JsonNode> claimNext(BenchHttp.Lane lane, String actor) {
      return lane.send(POST, "/v1/channels/" + channel + "/claim-next", key, actor + ",\"lease_seconds\":300}")
          .map(reply -> {
            if (reply.status() == 204) {
              return null;
            }
            if (reply.status() == 409) {
              conflicts.increment();
            }
            return handOut(reply.expect(200).json());
          });
    }

    private JsonNode handOut(JsonNode lease) {
      handedOut.merge(lease.path("message").path("id").asText(), 1, Integer::sum);
      return lease;
    }

    Future<LoadLoop.Step> raceAndAck(int worker, BenchHttp.Lane lane) {
      return race(lane, actor(worker) + "}", 0);
    }

    private Future<LoadLoop.Step> race(BenchHttp.Lane lane, String actor, int lost) {
      if (lost >= MAX_RACES) {
        return Future.failedFuture(new BenchException("lost " + MAX_RACES + " claim races in a row"));
      }
      String path = BenchRun.messagesPath(channel) + "?status=unclaimed&limit=" + page;
      return lane.send(GET, path, key, null).compose(listed -> {
        JsonNode data = listed.expect(200).json().path("data");
        if (data.isEmpty()) {
          return Future.succeededFuture(LoadLoop.Step.STOP);
        }
        String id = data.get(ThreadLocalRandom.current().nextInt(data.size())).path("id").asText();
        return lane.send(POST, "/v1/messages/" + id + "/claim", key, actor).compose(claim -> {
          if (claim.status() == 409) {
            conflicts.increment();
            return race(lane, actor, lost + 1);
          }
          claim.expect(200);
          handedOut.merge(id, 1, Integer::sum);
          return ack(lane, id, actor);
        });
      });
    }

    private Future<LoadLoop.Step> ack(BenchHttp.Lane lane, String id, String body) {
      return lane.send(POST, "/v1/messages/" + id + "/ack", key, body).map(reply -> {
        if ("acknowledged".equals(reply.expect(200).json().path("status").asText())) {
          acknowledged.merge(id, 1, Integer::sum);
        }
        return LoadLoop.Step.DONE;
      });
    }
  }
}
