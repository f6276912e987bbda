package dev.backchannel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code tail --url U --key K --channel C [--since CURSOR] [--events LIST] [--count N]}: follows the
 * channel's event stream and prints one JSON line per message; when the stream drops it
 * reconnects with {@code Last-Event-ID}, so nothing is missed or printed twice.
 */
public final class TailCommand {
  static final int MAX_FAILURES = 30;
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final CliClient client;
  private final String path;
  private final PrintStream out;
  private final PrintStream err;
  private final long count;
  private String lastEventId;
  private long printed;

  private TailCommand(CliClient client, String path, PrintStream out, PrintStream err, long count) {
    this.client = client;
    this.path = path;
    this.out = out;
    this.err = err;
    this.count = count;
  }

  public static int run(Args args, PrintStream out, PrintStream err) {
    try {
      Connection connection = Connection.of(args);
      StringBuilder path = new StringBuilder("/v1/channels/" + CliClient.segment(connection.channel()) + "/stream");
      String separator = "?";
      if (args.has("since")) {
        path.append("?since=").append(CliClient.segment(args.flag("since")));
        separator = "&";
      }
      if (args.has("events")) {
        path.append(separator).append("events=").append(CliClient.segment(args.flag("events")));
      }
      long count = args.has("count") ? Long.parseLong(args.flag("count")) : Long.MAX_VALUE;
      return new TailCommand(connection.client(), path.toString(), out, err, count).follow();
    } catch (Connection.UsageException | NumberFormatException e) {
      err.println("tail: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int follow() throws InterruptedException {
    int failures = 0;
    while (printed < count) {
      try {
        HttpResponse<InputStream> response = client.stream(path, lastEventId);
        if (response.statusCode() != 200) {
          try (InputStream body = response.body()) {
            err.println("tail: " + response.statusCode() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
          }
          return 1;
        }
        failures = 0;
        read(response.body());
      } catch (IOException e) {
        if (++failures > MAX_FAILURES) {
          err.println("tail: giving up after " + MAX_FAILURES + " failed reconnects: " + e.getMessage());
          return 1;
        }
        err.println("tail: stream lost (" + e.getMessage() + "); reconnecting from " + lastEventId);
        Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 500L * failures));
      }
    }
    return 0;
  }

  private void read(InputStream body) throws IOException {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = "message";
      StringBuilder data = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            emit(event, data.toString());
            if (id != null) {
              lastEventId = id;
            }
            if (printed >= count) {
              return;
            }
          }
          id = null;
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
        }
      }
    }
  }

  private void emit(String event, String data) throws IOException {
    if (event.equals("message")) {
      out.println(data);
    } else {
      ObjectNode line = CliClient.JSON.createObjectNode();
      line.put("event", event);
      JsonNode parsed = CliClient.JSON.readTree(data);
      line.set("data", parsed);
      out.println(line);
    }
    out.flush();
    printed++;
  }
}
