package dev.backchannel.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the server acknowledged to the crash workload: every 201 post, every 200 claim, heartbeat
 * and ack. After each restart {@link #violations} compares it with what the server holds; an
 * answer the client never received (the process died first) promises nothing and is not recorded.
 */
final class Ledger {
  /** A post answered 201. */
  record Post(String id, long seq, String content) {}

  /**
   * A claim answered 200 with status {@code claimed} (or a lease): {@code leaseExpiresAt} is null
   * for a plain claim, which holds until ack or release (contract §5.5).
   */
  record Claim(String messageId, String worker, long fence, Instant claimedAt, String leaseToken,
      Instant leaseExpiresAt) {
    boolean isLease() {
      return leaseToken != null;
    }
  }

  /** An ack answered 200, sent by the holder with the fence of its claim. */
  record Ack(String messageId, String worker, long fence) {}

  final Map<String, Post> posts = new ConcurrentHashMap<>();
  final Collection<Claim> claims = new ConcurrentLinkedQueue<>();
  final Collection<Ack> acks = new ConcurrentLinkedQueue<>();
  /** The latest lease expiry a heartbeat was answered with, per token. */
  private final Map<String, Instant> renewed = new ConcurrentHashMap<>();

  void posted(JsonNode message) {
    posts.put(message.get("id").asText(),
        new Post(message.get("id").asText(), message.get("seq").asLong(), message.get("content").asText()));
  }

  void claimed(String worker, JsonNode answer) {
    JsonNode message = answer.get("message");
    String token = answer.path("lease_token").asText(null);
    claims.add(new Claim(message.get("id").asText(), worker, answer.get("fence").asLong(),
        time(message.get("claimed_at")), token, token == null ? null : time(answer.get("expires_at"))));
  }

  void renewed(String token, JsonNode answer) {
    renewed.merge(token, time(answer.get("expires_at")), (a, b) -> a.isAfter(b) ? a : b);
  }

  void acked(String messageId, String worker, long fence) {
    acks.add(new Ack(messageId, worker, fence));
  }

  long maxSeq() {
    return posts.values().stream().mapToLong(Post::seq).max().orElse(0);
  }

  /**
   * A lower bound of when the claim's lease lapses: its own expiry or a later heartbeat's. A
   * heartbeat whose answer was lost only pushes the true expiry further out.
   */
  Instant lapsesNoEarlierThan(Claim claim) {
    Instant heartbeat = renewed.get(claim.leaseToken());
    return heartbeat != null && heartbeat.isAfter(claim.leaseExpiresAt()) ? heartbeat : claim.leaseExpiresAt();
  }

  /**
   * Every broken promise, given the messages the server holds now (by id) and a moment taken
   * after they were read.
   */
  List<String> violations(Map<String, JsonNode> stored, Instant checkedAt) {
    List<String> problems = new ArrayList<>();
    posts.values().forEach(post -> checkPost(post, stored.get(post.id()), problems));
    Map<String, List<Claim>> byMessage = new ConcurrentHashMap<>();
    claims.forEach(c -> byMessage.computeIfAbsent(c.messageId(), id -> new ArrayList<>()).add(c));
    byMessage.forEach((id, list) -> checkClaims(list, stored.get(id), checkedAt, problems));
    acks.forEach(ack -> checkAck(ack, stored.get(ack.messageId()), problems));
    return problems;
  }

  private static void checkPost(Post post, JsonNode stored, List<String> problems) {
    if (stored == null) {
      problems.add("message " + post.id() + " (seq " + post.seq() + ") was answered 201 and is gone");
    } else if (!post.content().equals(stored.get("content").asText())) {
      problems.add("message " + post.id() + " changed content: " + stored.get("content"));
    }
  }

  /**
   * Fences only grow, so the claims of a message in fence order are its owners in turn. Each
   * owner but the last must have held a lease that lapsed before the next one claimed, and must
   * not have been acked (an ack freezes a claim, contract §5.6). The last owner still holds the
   * message, unless its lease lapsed and the sweep returned it, or someone took it over.
   */
  private void checkClaims(List<Claim> list, JsonNode stored, Instant checkedAt, List<String> problems) {
    list.sort(Comparator.comparingLong(Claim::fence));
    String id = list.get(0).messageId();
    if (stored == null) {
      problems.add("claimed message " + id + " is gone");
      return;
    }
    for (int i = 1; i < list.size(); i++) {
      Claim before = list.get(i - 1);
      Claim after = list.get(i);
      if (before.fence() == after.fence()) {
        if (!before.worker().equals(after.worker())) {
          problems.add("message " + id + " has two owners at fence " + after.fence() + ": " + before.worker()
              + " and " + after.worker());
        }
        continue;
      }
      String handover = handoverProblem(before, after.claimedAt());
      if (handover != null) {
        problems.add("message " + id + ": " + after.worker() + " claimed it at fence " + after.fence() + " while "
            + before.worker() + " held fence " + before.fence() + ": " + handover);
      }
    }
    checkLastOwner(list.get(list.size() - 1), stored, checkedAt, problems);
  }

  private String handoverProblem(Claim before, Instant next) {
    if (!before.isLease()) {
      return "a plain claim never lapses";
    }
    if (isAcked(before)) {
      return "the earlier claim was acked";
    }
    Instant lapses = lapsesNoEarlierThan(before);
    return next.isBefore(lapses) ? "its lease ran until at least " + lapses : null;
  }

  private void checkLastOwner(Claim last, JsonNode stored, Instant checkedAt, List<String> problems) {
    long fence = stored.get("fence").asLong();
    String holder = stored.path("claimed_by").path("name").asText(null);
    String id = last.messageId();
    if (fence < last.fence()) {
      problems.add("message " + id + " went back from fence " + last.fence() + " to " + fence);
    } else if (fence > last.fence() || holder == null) {
      String handover = handoverProblem(last, checkedAt);
      if (handover != null) {
        problems.add("message " + id + " left " + last.worker() + " (fence " + last.fence() + ", now fence " + fence
            + ", holder " + holder + "): " + handover);
      }
    } else if (!holder.equals(last.worker())) {
      problems.add("message " + id + " at fence " + fence + " is held by " + holder + ", answered to " + last.worker());
    }
  }

  private boolean isAcked(Claim claim) {
    return acks.stream().anyMatch(a -> a.messageId().equals(claim.messageId()) && a.fence() == claim.fence());
  }

  private static void checkAck(Ack ack, JsonNode stored, List<String> problems) {
    if (stored == null) {
      problems.add("acked message " + ack.messageId() + " is gone");
      return;
    }
    boolean listed = false;
    for (JsonNode by : stored.get("acknowledged_by")) {
      listed |= ack.worker().equals(by.path("name").asText());
    }
    if (!listed || stored.get("fence").asLong() != ack.fence()
        || !ack.worker().equals(stored.path("claimed_by").path("name").asText(null))) {
      problems.add("ack of " + ack.messageId() + " by " + ack.worker() + " at fence " + ack.fence()
          + " is not what the server holds: " + stored);
    }
  }

  static Instant time(JsonNode node) {
    return node == null || node.isNull() ? null : OffsetDateTime.parse(node.asText()).toInstant();
  }
}
