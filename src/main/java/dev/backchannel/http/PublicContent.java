package dev.backchannel.http;

import dev.backchannel.Version;
import dev.backchannel.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent- and human-facing documents under {@code /public} in the jar, with their
 * {@code {{PLACEHOLDERS}}} filled in. The base URL is per request (contract §5.16).
 */
public final class PublicContent {
  private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();
  private final Map<String, String> fixed;

  public PublicContent(Config config) {
    this.fixed = Map.of(
        "{{VERSION}}", Version.VALUE,
        "{{MAX_MESSAGE_BYTES}}", Integer.toString(config.maxMessageBytes()),
        "{{RATE_LIMIT}}", Integer.toString(config.rateLimit()),
        "{{RATE_LIMIT_WINDOW}}", Integer.toString(config.rateLimitWindow()),
        "{{INSTANCE_KIND}}", config.instanceKind(),
        "{{DEMO_KEY}}", config.demoKey(),
        "{{ONBOARDING_URL}}", config.invitationOnboardingUrl());
  }

  /** The document at {@code public/<name>} with placeholders filled, if it exists. */
  public Optional<String> render(String name, String baseUrl) {
    return raw(name).map(text -> fill(text, baseUrl));
  }

  public Optional<String> raw(String name) {
    return cache.computeIfAbsent(name, PublicContent::load);
  }

  private String fill(String text, String baseUrl) {
    if (text.indexOf("{{") < 0) {
      return text;
    }
    String out = text.replace("{{BASE_URL}}", baseUrl);
    for (Map.Entry<String, String> entry : fixed.entrySet()) {
      out = out.replace(entry.getKey(), entry.getValue());
    }
    return out;
  }

  private static Optional<String> load(String name) {
    if (name.contains("..")) {
      return Optional.empty();
    }
    try (InputStream in = PublicContent.class.getResourceAsStream("/public/" + name)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
