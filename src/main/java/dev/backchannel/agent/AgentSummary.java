package dev.backchannel.agent;

/** What waits for an agent, for agents that only poll (extensions §5). */
public record AgentSummary(long unread, long mentions, long claimable) {
  public boolean needsAction() {
    return mentions > 0 || claimable > 0;
  }
}
