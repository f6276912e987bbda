package dev.backchannel.bench;

import static io.vertx.core.http.HttpMethod.GET;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cursor paging over a prefilled channel: each worker reads the channel from {@code cursor=0} to
 * its end, {@code --page} messages a page (100), following {@code next_cursor}, and starts again. Check: every
 * complete pass saw every message once, in seq order.
 */
final class PollScenario implements Scenario {
  static final int DEFAULT_MESSAGES = 1_000;

  @Override
  public Result run(BenchRun run) {
    BenchOptions options = run.options;
    String key = run.key();
    String channel = run.channel("poll", "broadcast");
    long stored = run.prefill(channel, options.messagesOr(DEFAULT_MESSAGES), options.size());
    Pass[] passes = new Pass[options.connections()];
    LongAdder complete = new LongAdder();
    LongAdder wrong = new LongAdder();
    LongAdder read = new LongAdder();
    LongAdder pages = new LongAdder();
    BenchRun.Cpu cpu = run.cpu();
    LoadLoop.Outcome outcome = LoadLoop.run(run.http, options.connections(), options.warmupNanos(),
        options.measureNanos(), (worker, lane) -> {
          Pass pass = passes[worker] == null ? passes[worker] = new Pass(options.page()) : passes[worker];
          String path = BenchRun.messagesPath(channel) + "?limit=" + options.page() + "&cursor="
              + URLEncoder.encode(pass.cursor, StandardCharsets.UTF_8);
          return lane.send(GET, path, key, null).map(reply -> {
            JsonNode page = reply.expect(200).json();
            JsonNode data = page.path("data");
            read.add(data.size());
            pages.increment();
            if (!pass.take(data, page.path("next_cursor").asText())) {
              (pass.seen == stored && pass.ordered ? complete : wrong).increment();
              passes[worker] = new Pass(options.page());
            }
            return LoadLoop.Step.DONE;
          });
        });
    Result result = new Result("poll", options.connections()).load(outcome, "req/s")
        .figure("messages_stored", stored)
        .figure("page", options.page())
        .figure("messages_per_second", Math.round(outcome.rate() * read.sum() / Math.max(1, pages.sum())));
    cpu.perOperation(run, result, outcome.completed());
    return result.check(wrong.sum() == 0 && read.sum() > 0, String.format(
        "%,d complete passes over %,d messages, %,d passes missed, repeated or reordered a message",
        complete.sum(), stored, wrong.sum()));
  }

  /** One worker's read of the channel from the start. */
  private static final class Pass {
    final int page;
    String cursor = "0";
    long seen;
    long lastSeq;
    boolean ordered = true;

    Pass(int page) {
      this.page = page;
    }

    /** Takes a page; false once the pass has reached the end. */
    boolean take(JsonNode data, String next) {
      for (JsonNode message : data) {
        long seq = message.path("seq").asLong();
        ordered &= seq > lastSeq;
        lastSeq = seq;
      }
      seen += data.size();
      cursor = next;
      return data.size() == page;
    }
  }
}
