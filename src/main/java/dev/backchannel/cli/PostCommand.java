package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code post --url U --key K --channel C [--metadata JSON] [--priority P] [CONTENT]}: posts one
 * message (the content from the argument, else stdin) and prints the created message as JSON.
 */
public final class PostCommand {
  private PostCommand() {}

  public static int run(Args args, InputStream stdin, PrintStream out, PrintStream err) {
    try {
      Connection connection = Connection.of(args);
      String content = args.positional().isEmpty()
          ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
          : String.join(" ", args.positional());
      ObjectNode body = CliClient.JSON.createObjectNode();
      body.put("content", content);
      if (args.has("metadata")) {
        JsonNode metadata = CliClient.JSON.readTree(args.flag("metadata"));
        body.set("metadata", metadata);
      }
      if (args.has("priority")) {
        body.put("priority", Integer.parseInt(args.flag("priority")));
      }
      CliClient.Reply reply = connection.client().post("/v1/channels/" + CliClient.segment(connection.channel())
          + "/messages", body, Duration.ZERO);
      if (!reply.ok()) {
        err.println("post: " + reply.error());
        return 1;
      }
      out.println(reply.body().path("message"));
      return 0;
    } catch (Connection.UsageException e) {
      err.println("post: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("post: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
