package dev.backchannel.bench;

/** One benchmark: sets up what it needs, measures, checks correctness as it goes, returns the figures. */
interface Scenario {
  Result run(BenchRun run);

  static Scenario named(String name) {
    return switch (name) {
      case "health" -> new HealthScenario();
      case "publish" -> new PublishScenario();
      case "poll" -> new PollScenario();
      case "claim-race" -> new ClaimScenario(ClaimScenario.Mode.RACE);
      case "claim-next" -> new ClaimScenario(ClaimScenario.Mode.NEXT);
      case "claim-chain" -> new ClaimScenario(ClaimScenario.Mode.CHAIN);
      case "sse-fanout" -> new FanoutScenario();
      case "sse-capacity" -> new CapacityScenario();
      case "longpoll" -> new LongPollScenario();
      case "startup" -> new StartupScenario();
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }
}
