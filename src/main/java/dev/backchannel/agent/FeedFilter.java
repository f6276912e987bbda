package dev.backchannel.agent;

import dev.backchannel.channel.ChannelMode;
import dev.backchannel.message.Message;
import dev.backchannel.store.Committed;
import java.util.Map;

/** Decides which committed changes belong in one owner's wake feed, tracking its subscriptions. */
public final class FeedFilter {
  private final String ownerId;
  private final Map<String, ChannelMode> channels;

  FeedFilter(String ownerId, Map<String, ChannelMode> channels) {
    this.ownerId = ownerId;
    this.channels = channels;
  }

  /** The feed event for this change, or null when it is not for this owner. */
  public AgentEvent eventFor(Committed change) {
    switch (change.kind()) {
      case MENTIONED -> {
        AgentEvent event = (AgentEvent) change.subject();
        return ownerId.equals(event.mention().ownerId()) ? event : null;
      }
      case MESSAGE_POSTED -> {
        ChannelMode mode = channels.get(change.channelId());
        if (mode == null) {
          return null;
        }
        String type = mode == ChannelMode.CLAIMABLE ? AgentEvent.CLAIMABLE : AgentEvent.MESSAGE;
        return new AgentEvent(change.seq(), type, null, (Message) change.subject());
      }
      case MESSAGE_EDITED -> {
        return channels.containsKey(change.channelId())
            ? new AgentEvent(change.seq(), AgentEvent.EDITED, null, (Message) change.subject()) : null;
      }
      case SUBSCRIBED -> {
        Subscription subscription = (Subscription) change.subject();
        if (ownerId.equals(subscription.ownerId())) {
          channels.put(subscription.channelId(), subscription.mode());
        }
        return null;
      }
      case UNSUBSCRIBED -> {
        Subscription subscription = (Subscription) change.subject();
        if (ownerId.equals(subscription.ownerId())) {
          channels.remove(subscription.channelId());
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }
}
