package dev.backchannel.mcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP sessions of this process ({@code Mcp-Session-Id}), in memory: a session only remembers
 * the protocol revision it agreed on. Idle sessions lapse; the count is capped.
 */
public final class McpSessions {
  public static final Duration IDLE = Duration.ofHours(1);
  public static final int MAX = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  public McpSessions(Clock clock) {
    this.clock = clock;
  }

  /** One session: its agreed revision and when it was last used. */
  public static final class Session {
    private final String protocolVersion;
    private volatile Instant lastUsed;

    Session(String protocolVersion, Instant now) {
      this.protocolVersion = protocolVersion;
      this.lastUsed = now;
    }

    public String protocolVersion() {
      return protocolVersion;
    }
  }

  /** A new session id, or null when the table is full even after dropping idle sessions. */
  public String open(String protocolVersion) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX) {
      sessions.values().removeIf(s -> s.lastUsed.plus(IDLE).isBefore(now));
      if (sessions.size() >= MAX) {
        return null;
      }
    }
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(id, new Session(protocolVersion, now));
    return id;
  }

  /** The live session with this id (touching it), or null. */
  public Session find(String id) {
    Session session = sessions.get(id);
    Instant now = clock.instant();
    if (session == null || session.lastUsed.plus(IDLE).isBefore(now)) {
      if (session != null) {
        sessions.remove(id, session);
      }
      return null;
    }
    session.lastUsed = now;
    return session;
  }

  public boolean close(String id) {
    return sessions.remove(id) != null;
  }
}
