package dev.backchannel.channel;

/**
 * The answer to an access request (contract §4.3).
 *
 * @param status open, already_member or pending
 * @param requestId the pending request's id, else null
 */
public record AccessOutcome(String status, String requestId) {
  public boolean isPending() {
    return "pending".equals(status);
  }
}
