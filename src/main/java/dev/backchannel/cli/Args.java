package dev.backchannel.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line flags ({@code --name value} or {@code --name=value}) and positional arguments. */
public final class Args {
  private final Map<String, String> flags = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  public static Args parse(List<String> argv) {
    Args args = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        if (eq > 0) {
          args.flags.put(arg.substring(2, eq), arg.substring(eq + 1));
        } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
          args.flags.put(arg.substring(2), argv.get(++i));
        } else {
          args.flags.put(arg.substring(2), "true");
        }
      } else {
        args.positional.add(arg);
      }
    }
    return args;
  }

  public String flag(String name) {
    return flags.get(name);
  }

  public boolean has(String name) {
    return flags.containsKey(name);
  }

  public Map<String, String> flags() {
    return flags;
  }

  public List<String> positional() {
    return positional;
  }

  /** Settings given as flags: {@code --db}, {@code --host}, {@code --port} and {@code --set key=value}. */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : List.of("db", "host", "port")) {
      if (flags.containsKey(name)) {
        settings.put(name, flags.get(name));
      }
    }
    return settings;
  }
}
