package dev.backchannel.agent;

import dev.backchannel.error.ApiError;
import dev.backchannel.error.ApiException;
import dev.backchannel.key.Caller;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Timestamps;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Claims on mentions, so one agent handles a message however many were mentioned in it: the
 * claim belongs to the message, and every mention of it shows the same holder. While another key
 * holds it, claiming is 409 with the holder and when to retry.
 */
public final class MentionClaims {
  static final String RETRY_HINT = "retry_after_ttl";

  private final AgentStore agents;
  private final Clock clock;

  MentionClaims(AgentStore agents, Clock clock) {
    this.agents = agents;
    this.clock = clock;
  }

  /** Takes the mentioned message for {@code ttl} (renewing the caller's own claim); 409 while another key holds it. */
  public Mention claim(Tx tx, Caller caller, MentionRef ref, Duration ttl) {
    Mention mention = own(tx, caller, ref);
    Instant now = tx.now();
    agents.liveClaim(tx, mention.messageId(), now)
        .filter(held -> !held.claimedByKey().equals(caller.keyId()))
        .ifPresent(held -> {
          throw claimed(held, now);
        });
    agents.claimMessage(tx, mention.messageId(), caller.keyId(), now.plus(ttl));
    return agents.findMention(tx, mention.id()).orElseThrow();
  }

  public Void release(Tx tx, Caller caller, MentionRef ref) {
    Mention mention = own(tx, caller, ref);
    Optional<Mention> held = agents.liveClaim(tx, mention.messageId(), tx.now());
    if (held.isPresent() && !held.get().claimedByKey().equals(caller.keyId())) {
      throw ApiError.FORBIDDEN.exception("Only the key holding the mention may release it");
    }
    agents.releaseMessage(tx, mention.messageId());
    return null;
  }

  /** Who holds the mentioned message now, if anyone. */
  public Future<ClaimState> state(Caller caller, MentionRef ref) {
    Instant now = clock.instant();
    Future<Optional<Mention>> found = ref.mentionId() != null
        ? agents.findMention(ref.mentionId()) : agents.findMentionOf(caller.ownerId(), ref.messageId());
    return found.map(m -> m.filter(mention -> mention.ownerId().equals(caller.ownerId()))
            .orElseThrow(() -> ApiError.MENTION_NOT_FOUND.exception()))
        .compose(mention -> agents.liveClaim(mention.messageId(), now).map(held -> new ClaimState(mention,
            held.map(Mention::claimedByKey).orElse(null), held.map(Mention::claimExpiresAt).orElse(null))));
  }

  /** Seconds until the claim lapses, at least 1. */
  public static long retryAfterSeconds(Instant now, Instant expiresAt) {
    return Math.max(1, Duration.between(now, expiresAt).toSeconds());
  }

  private static ApiException claimed(Mention held, Instant now) {
    return ApiError.MENTION_CLAIMED.exception("Another key is handling this mention")
        .with("owner_key_id", held.claimedByKey())
        .with("claimed_until", Timestamps.format(held.claimExpiresAt()))
        .with("action_hint", RETRY_HINT)
        .with("retry_after_seconds", retryAfterSeconds(now, held.claimExpiresAt()));
  }

  private Mention own(Tx tx, Caller caller, MentionRef ref) {
    Optional<Mention> found = ref.mentionId() != null
        ? agents.findMention(tx, ref.mentionId()) : agents.findMentionOf(tx, caller.ownerId(), ref.messageId());
    return found.filter(m -> m.ownerId().equals(caller.ownerId()))
        .orElseThrow(() -> ApiError.MENTION_NOT_FOUND.exception());
  }
}
