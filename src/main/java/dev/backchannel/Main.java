package dev.backchannel;

import dev.backchannel.bench.BenchCommand;
import dev.backchannel.cli.Args;
import dev.backchannel.cli.BackupCommand;
import dev.backchannel.cli.CleanupCommand;
import dev.backchannel.cli.HealthcheckCommand;
import dev.backchannel.cli.PostCommand;
import dev.backchannel.cli.TailCommand;
import dev.backchannel.cli.WorkerCommand;
import dev.backchannel.cli.ServeCommand;
import dev.backchannel.config.Config;
import dev.backchannel.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: {@code serve}, {@code cleanup}, {@code backup}, {@code healthcheck}, {@code bench},
 * {@code worker}, {@code post}, {@code tail}, {@code version}.
 */
public final class Main {
  private static final String USAGE = """
      usage: java -jar backchannel.jar <command> [options]

      commands:
        serve     [--db PATH] [--host H] [--port P] [--config FILE]   run the server
        cleanup   [--db PATH] [--config FILE]                         expire, archive and purge once
        backup FILE [--db PATH] [--config FILE]                       online, consistent copy of the database
        healthcheck [--url URL]                                       exit 0 if the server is ready
        bench --url URL --scenario NAME [options]                     load and correctness figures
                                                                      (bench --help for its options)
        worker --url U --key K --channel C [options] -- CMD...       claim tasks and run CMD for each
                                                                      (worker --help for its options)
        post --url U --key K --channel C [CONTENT]                    post a message (content or stdin)
        tail --url U --key K --channel C [--since CURSOR]             follow a channel's messages live
        version                                                       print the version

      Every setting can also come from config/backchannel.json or a BACKCHANNEL_* variable
      (see docs/operations.md).
      """;

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(Arrays.asList(argv)));
  }

  static int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")) {
      System.out.print(USAGE);
      return argv.isEmpty() ? 2 : 0;
    }
    Args args = Args.parse(argv.subList(1, argv.size()));
    try {
      switch (argv.get(0)) {
        case "version":
          System.out.println("backchannel " + Version.VALUE);
          return 0;
        case "serve":
          return ServeCommand.run(config(args));
        case "cleanup":
          return CleanupCommand.run(config(args));
        case "backup":
          return BackupCommand.run(config(args), args.positional().isEmpty() ? null : args.positional().get(0));
        case "bench":
          return BenchCommand.run(argv.subList(1, argv.size()), System.out, System.err, System.getenv());
        case "worker":
          if (argv.contains("--help")) {
            System.out.print(WorkerCommand.USAGE);
            return 0;
          }
          return WorkerCommand.run(argv.subList(1, argv.size()), System.err);
        case "post":
          return PostCommand.run(args, System.in, System.out, System.err);
        case "tail":
          return TailCommand.run(args, System.out, System.err);
        case "healthcheck":
          return HealthcheckCommand.run(config(args), args.flag("url"));
        default:
          System.err.print("unknown command '" + argv.get(0) + "'\n\n" + USAGE);
          return 2;
      }
    } catch (ConfigLoader.ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("backchannel: " + e.getMessage());
      e.printStackTrace(System.err);
      return 1;
    }
  }

  static Config config(Args args) {
    Path file = args.has("config") ? Path.of(args.flag("config")) : null;
    return ConfigLoader.fromSystem().load(file, args.settings());
  }
}
