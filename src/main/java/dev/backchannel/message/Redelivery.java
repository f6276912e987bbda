package dev.backchannel.message;

import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelService;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to work whose delivery failed (extensions §4): a lapsed lease or a nack returns
 * the message to the pool, counted as a delivery; once it has used up the channel's
 * {@code max_deliveries} it moves to the dead-letter channel (or the archive) with its history.
 */
public final class Redelivery {
  static final String LEASE_EXPIRED = "lease expired";

  private final MessageStore messages;
  private final QueueStore queues;
  private final ChannelService channels;
  private final Publisher publisher;
  private final Metrics metrics;

  public Redelivery(MessageStore messages, QueueStore queues, ChannelService channels, Publisher publisher,
      Metrics metrics) {
    this.messages = messages;
    this.queues = queues;
    this.channels = channels;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /**
   * Ends a failed delivery. Returns the message back in the pool (visible again after
   * {@code delay}), or empty when it was dead-lettered.
   */
  public Optional<Message> fail(Tx tx, Message message, String failure, Duration delay) {
    return fail(tx, channels.system(tx, message.channelId()), message, failure, delay);
  }

  private Optional<Message> fail(Tx tx, Channel channel, Message message, String failure, Duration delay) {
    Integer maxDeliveries = channel.queue().maxDeliveries();
    if (maxDeliveries != null && message.queue().deliveryCount() >= maxDeliveries) {
      deadLetter(tx, channel, message, failure);
      return Optional.empty();
    }
    Instant due = delay == null || delay.isZero() ? null : tx.now().plus(delay);
    queues.requeue(tx, message.id(), due, failure);
    if (due != null) {
      publisher.schedule(due);
    }
    Message back = messages.find(tx, message.id()).orElseThrow();
    tx.emit(new Committed(Committed.Kind.MESSAGE_RELEASED, back.channelId(), tx.nextSeq(), back));
    tx.afterCommit(() -> metrics.redeliveries(1));
    return Optional.of(back);
  }

  /** Returns every lapsed, unacknowledged lease to the pool (or the dead letters); returns how many. */
  public int expireLeases(Tx tx, int limit) {
    List<Message> lapsed = messages.expiredLeases(tx, tx.now(), limit);
    // One sweep is one write over many leases, often of few channels: each channel is read once.
    Map<String, Channel> byId = new HashMap<>();
    for (Message message : lapsed) {
      Channel channel = byId.computeIfAbsent(message.channelId(), id -> channels.system(tx, id));
      fail(tx, channel, message, LEASE_EXPIRED, null);
    }
    tx.afterCommit(() -> metrics.leasesExpired(lapsed.size()));
    return lapsed.size();
  }

  private void deadLetter(Tx tx, Channel channel, Message message, String failure) {
    Optional<Channel> target = Optional.ofNullable(channel.queue().deadLetterChannel())
        .flatMap(id -> channels.find(tx, id));
    tx.emit(new Committed(Committed.Kind.MESSAGE_DEAD_LETTERED, channel.id(), tx.nextSeq(), message));
    if (target.isPresent()) {
      moveTo(tx, message, target.get(), channel.id(), failure, false);
    } else {
      messages.archive(tx, message, "dead_lettered", tx.now());
    }
    tx.afterCommit(() -> metrics.deadLettered(1));
  }

  /** Moves dead letters back to where they came from (or to {@code target}), with fresh delivery counts. */
  public int redrive(Tx tx, Channel deadLetters, Channel target, int limit) {
    int moved = 0;
    for (Message letter : queues.deadLetters(tx, deadLetters.id(), limit)) {
      Optional<Channel> destination = target != null ? Optional.of(target)
          : channels.find(tx, letter.queue().deadLetteredFrom());
      if (destination.isPresent()) {
        moveTo(tx, letter, destination.get(), null, null, true);
        moved++;
      }
    }
    return moved;
  }

  private void moveTo(Tx tx, Message message, Channel target, String deadLetteredFrom, String failure,
      boolean resetDeliveries) {
    Instant createdAt = tx.nextCreatedAt();
    long seq = tx.nextSeq();
    queues.move(tx, message.id(), target.id(), seq, createdAt, createdAt.plus(target.ttl()), deadLetteredFrom,
        failure, resetDeliveries);
    Message moved = messages.find(tx, message.id()).orElseThrow();
    tx.emit(new Committed(Committed.Kind.MESSAGE_POSTED, target.id(), seq, moved));
  }

}
