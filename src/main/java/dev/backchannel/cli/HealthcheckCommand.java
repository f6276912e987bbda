package dev.backchannel.cli;

import dev.backchannel.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code healthcheck}: exits 0 when the local server answers {@code /health/ready}; for container probes. */
public final class HealthcheckCommand {
  private HealthcheckCommand() {}

  public static int run(Config config, String url) {
    String target = url != null ? url
        : "http://" + (config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host())
            + ":" + config.port() + "/health/ready";
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(4)).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.println(response.statusCode() + " " + response.body());
      return response.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      System.out.println("unreachable: " + e.getMessage());
      return 1;
    }
  }
}
