package dev.backchannel.message;

import dev.backchannel.actor.Actor;
import dev.backchannel.store.Tx;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a posted message's mentions go: one inbox item per mentioned actor (extensions §5). */
public interface MentionInbox {
  MentionInbox NONE = new MentionInbox() {
    @Override
    public void mentioned(Tx tx, Message message, Collection<Actor> actors) {}

    @Override
    public void edited(Tx tx, Message message, Collection<Actor> actors) {}
  };

  /** Records, inside the posting transaction, that the message mentions these actors. */
  void mentioned(Tx tx, Message message, Collection<Actor> actors);

  /**
   * After an edit the message mentions exactly these actors: new ones get an item, items of
   * actors no longer mentioned are marked so (and unmarked should the mention come back).
   */
  void edited(Tx tx, Message message, Collection<Actor> actors);

  /** The {@code @name} tokens of a message's content, in order, without duplicates. */
  static List<String> names(String content) {
    if (content.indexOf('@') < 0) {
      return List.of();
    }
    Matcher matcher = NAME.matcher(content);
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    while (matcher.find() && names.size() < MAX_NAMES) {
      names.add(matcher.group(1));
    }
    return List.copyOf(names);
  }

  /** {@code @name}: not part of a word or an e-mail address; ends before trailing punctuation. */
  Pattern NAME = Pattern.compile("(?<![\\w@.])@([A-Za-z0-9_][A-Za-z0-9._-]{0,127}?)(?=[.,;:!?)\\]]*(?:\\s|$))");
  int MAX_NAMES = 20;
}
