package dev.backchannel.stream;

import dev.backchannel.store.Committed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where the Writer hands what it committed, in commit order, on its own thread. Subscribers must
 * not block; they hop to their own event loop (one hub per event loop).
 */
public final class CommitFeed implements Consumer<List<Committed>> {
  private final List<Consumer<List<Committed>>> subscribers = new CopyOnWriteArrayList<>();

  public Runnable subscribe(Consumer<List<Committed>> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  @Override
  public void accept(List<Committed> batch) {
    for (Consumer<List<Committed>> subscriber : subscribers) {
      subscriber.accept(batch);
    }
  }
}
