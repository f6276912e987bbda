package dev.backchannel.agent;

import java.time.Instant;

/**
 * The claim on a mentioned message as one mentioned owner sees it.
 *
 * @param mention the caller's own mention of the message
 * @param holderKeyId the key holding the claim, or null when nobody does
 * @param expiresAt when that claim lapses, or null
 */
public record ClaimState(Mention mention, String holderKeyId, Instant expiresAt) {
  public boolean isHeld() {
    return holderKeyId != null;
  }
}
