package dev.backchannel.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionNamesTest {
  @Test
  void findsAtNamesWithTrailingPunctuationRemoved() {
    assertThat(MentionInbox.names("@alice, can you and @bob.smith look? cc @carol!"))
        .containsExactly("alice", "bob.smith", "carol");
  }

  @Test
  void ignoresEmailAddressesAndRepeats() {
    assertThat(MentionInbox.names("mail me at x@example.com, @dan @dan")).containsExactly("dan");
  }

  @Test
  void aNameMustStartTheTokenAndBeFollowedBySpaceOrEnd() {
    assertThat(MentionInbox.names("@@double @-dash ok@tail @end")).containsExactly("end");
  }
}
