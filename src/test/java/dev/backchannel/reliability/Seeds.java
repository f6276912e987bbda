package dev.backchannel.reliability;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds and sizes of the randomized reliability tests. Each run prints its seed; passing it back
 * as a system property ({@code -Dreliability.crash.seed=…}) replays the same choices.
 */
final class Seeds {
  private Seeds() {}

  /** The seed in system property {@code property}, else a fresh one; printed either way. */
  static long seed(String property, String test) {
    String given = System.getProperty(property);
    long seed = given == null || given.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given.trim());
    System.out.println(test + " seed=" + seed + " (replay with -D" + property + "=" + seed + ")");
    return seed;
  }

  /** A count from system property {@code property}, else {@code standard} (what {@code mvn verify} runs). */
  static int count(String property, int standard) {
    return Math.max(1, Integer.getInteger(property, standard));
  }
}
