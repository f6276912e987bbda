package dev.backchannel.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Which server setting to raise when the server's own limits, not its speed, refused requests. */
final class Hints {
  static final String RATE_LIMIT = "the per-key rate limit refused requests: start the server with "
      + "BACKCHANNEL_RATE_LIMIT=0 (no limit) or a larger rate_limit";
  static final String MINT_LIMIT = "key minting is rate-limited per client address: start the server with "
      + "BACKCHANNEL_KEY_MINT_LIMIT=0, or raise stream_max_per_key so fewer keys are needed";
  static final String MINTING_CLOSED = "minting is closed on this server: pass an existing key with --key or "
      + "BACKCHANNEL_BENCH_KEY";
  static final String STREAMS_PER_KEY = "streams were refused per key (429 too_many_streams): raise "
      + "stream_max_per_key (BACKCHANNEL_STREAM_MAX_PER_KEY) or allow more keys to be minted";
  static final String STREAMS_TOTAL = "the server's total stream limit was reached (503 streams_at_capacity): "
      + "raise stream_max_total (BACKCHANNEL_STREAM_MAX_TOTAL)";
  static final String WAITERS = "long-poll waiters past longpoll_max_waiters answer at once: raise "
      + "BACKCHANNEL_LONGPOLL_MAX_WAITERS";
  static final String FILES = "connections failed: check `ulimit -n` for both the server and the bench "
      + "(each stream or connection holds one descriptor on each side)";

  private Hints() {}

  static List<String> forErrors(Collection<String> labels) {
    List<String> hints = new ArrayList<>();
    for (String label : labels) {
      String hint = label.contains("rate_limit_exceeded") ? RATE_LIMIT
          : label.contains("too_many_streams") ? STREAMS_PER_KEY
          : label.contains("streams_at_capacity") ? STREAMS_TOTAL
          : label.contains("minting_closed") ? MINTING_CLOSED
          : label.contains("Too many open files") ? FILES
          : null;
      if (hint != null && !hints.contains(hint)) {
        hints.add(hint);
      }
    }
    return hints;
  }
}
