package dev.backchannel.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.actor.ActorRef;
import dev.backchannel.agent.AgentEvent;
import dev.backchannel.agent.Mention;
import dev.backchannel.agent.Subscription;
import dev.backchannel.channel.Access;
import dev.backchannel.channel.Channel;
import dev.backchannel.channel.ChannelMode;
import dev.backchannel.channel.ChannelRef;
import dev.backchannel.channel.QueuePolicy;
import dev.backchannel.message.Message;
import dev.backchannel.message.QueueState;
import dev.backchannel.store.Committed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Committed events survive the trip through the commit log unchanged, every kind of them. */
class CommitLogCodecTest {
  private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456Z");
  private static final ActorRef ALICE = new ActorRef("a1", "alice");

  @Test
  void everyKindRoundTripsWithItsSubject() {
    List<Committed> events = new ArrayList<>();
    long seq = 1;
    for (Committed.Kind kind : Committed.Kind.values()) {
      events.add(new Committed(kind, kind == Committed.Kind.KEY_REVOKED ? null : "c1", seq++, subjectOf(kind)));
    }

    List<Committed> decoded = CommitLogCodec.decode(CommitLogCodec.encode(events));

    assertThat(decoded).isEqualTo(events);
  }

  @Test
  void kindsFromANewerServerAreLeftOut() {
    String logged = "[{\"kind\":\"SOMETHING_NEW\",\"channel_id\":\"c1\",\"seq\":4,\"subject\":{\"x\":1}},"
        + "{\"kind\":\"KEY_REVOKED\",\"channel_id\":null,\"seq\":5,\"subject\":\"k1\"}]";

    assertThat(CommitLogCodec.decode(logged))
        .containsExactly(new Committed(Committed.Kind.KEY_REVOKED, null, 5, "k1"));
  }

  @Test
  void aSubjectOfTheWrongTypeIsRefusedWhenWritten() {
    Committed wrong = new Committed(Committed.Kind.MESSAGE_POSTED, "c1", 1, "not a message");

    assertThatThrownBy(() -> CommitLogCodec.encode(List.of(wrong))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESSAGE_POSTED");
  }

  private static Object subjectOf(Committed.Kind kind) {
    Class<?> type = CommitLogCodec.subjectType(kind);
    if (type == null) {
      return null;
    }
    if (type == Message.class) {
      return message();
    }
    if (type == Channel.class) {
      return new Channel("c1", "o1", "k1", "jobs", ChannelMode.CLAIMABLE, Access.RESTRICTED, true, "work", "{}",
          null, "http://127.0.0.1:9/hook", "secret", 86_400, 30, 1_000, null, false, AT, AT.plusSeconds(5),
          List.of("work"), List.of(new ChannelRef("c2", "done", ChannelMode.BROADCAST)),
          new QueuePolicy(3, "c3", null), true);
    }
    if (type == Subscription.class) {
      return new Subscription("c1", ChannelMode.BROADCAST, ALICE, "o1", AT);
    }
    if (type == AgentEvent.class) {
      Mention mention = new Mention("n1", 7, "m1", "c1", ALICE, "o1", AT, null, "k2", AT.plusSeconds(60));
      return new AgentEvent(7, AgentEvent.MENTION, mention, message());
    }
    return kind == Committed.Kind.MINTING_CHANGED ? "false" : "k1";
  }

  private static Message message() {
    return new Message(5, "m1", "c1", ALICE, "alice (bot)", "hello \u00e9 \"quoted\"", "{\"n\":1}",
        "[{\"id\":\"a1\",\"name\":\"alice\"}]", AT, AT.plusSeconds(3600), ALICE, "k2", AT, "lease", AT.plusSeconds(30),
        1, "[]", new QueueState(9, null, 2, 3, "c0", "timeout"), "k1", AT, 1);
  }
}
