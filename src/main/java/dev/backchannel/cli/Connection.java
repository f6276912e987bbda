package dev.backchannel.cli;

/** {@code --url}, {@code --key} and {@code --channel} of the script commands; the key may come from BACKCHANNEL_API_KEY. */
record Connection(CliClient client, String channel) {
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static Connection of(Args args) throws UsageException {
    String url = args.has("url") ? args.flag("url") : System.getenv().getOrDefault("BACKCHANNEL_URL",
        "http://127.0.0.1:8080");
    String key = args.has("key") ? args.flag("key") : System.getenv("BACKCHANNEL_API_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("--key (or BACKCHANNEL_API_KEY) is required");
    }
    String channel = args.flag("channel");
    if (channel == null || channel.isBlank() || channel.equals("true")) {
      throw new UsageException("--channel is required");
    }
    return new Connection(new CliClient(url, key), channel);
  }
}
