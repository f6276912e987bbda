package dev.backchannel.key;

import dev.backchannel.audit.AuditLog;
import dev.backchannel.error.ApiError;
import dev.backchannel.ops.Metrics;
import dev.backchannel.store.Committed;
import dev.backchannel.store.Store;
import dev.backchannel.store.Tx;
import dev.backchannel.time.Ticker;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Minting, verifying and revoking API keys (contract §2.1, §4.1), and the public minting switch. */
public final class KeyService {
  static final String MINTING_SETTING = "public_minting_enabled";
  static final String STREAM_TOKEN_SECRET = "stream_token_secret";
  private static final int MAX_LABEL_LENGTH = 128;

  private final Store store;
  private final KeyStore keys;
  private final KeyIssueListener issued;
  private final AuditLog audit;
  private final SettingsStore settings;
  private final KeyHasher hasher;
  private final Clock clock;
  private final Ticker ticker;
  private final Metrics metrics;
  private final AuthCache cache = new AuthCache(TimeUnit.SECONDS.toNanos(60));
  private final AtomicBoolean publicMinting = new AtomicBoolean(true);
  private volatile StreamTokens streamTokens;

  public KeyService(Store store, KeyStore keys, KeyIssueListener issued, AuditLog audit, SettingsStore settings,
      KeyHasher hasher, Clock clock, Ticker ticker, Metrics metrics) {
    this.ticker = ticker;
    this.store = store;
    this.keys = keys;
    this.issued = issued;
    this.audit = audit;
    this.settings = settings;
    this.hasher = hasher;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Loads the persisted minting switch and the stream-token secret (created on first start). */
  public Future<Void> start() {
    Future<Void> minting = settings.get(MINTING_SETTING).map(value -> {
      value.ifPresent(v -> publicMinting.set(Boolean.parseBoolean(v)));
      return null;
    });
    Future<String> secret = store.write(tx -> settings.find(tx, STREAM_TOKEN_SECRET).orElseGet(() -> {
      String created = hasher.randomToken(32);
      settings.put(tx, STREAM_TOKEN_SECRET, created);
      return created;
    }));
    return Future.all(minting, secret).map(done -> {
      streamTokens = new StreamTokens(secret.result().getBytes(java.nio.charset.StandardCharsets.US_ASCII), clock);
      return null;
    });
  }

  /** A read-only token for streaming the given channels (null: any the key can read) until expiresAt. */
  public String mintStreamToken(Caller caller, List<String> channelIds, Instant expiresAt) {
    return streamTokens.mint(caller.keyId(), channelIds, expiresAt);
  }

  /** Verifies a stream token and that its key is still active; fails with 401 otherwise. */
  public Future<StreamCaller> authenticateStreamToken(String token) {
    return streamTokens.verify(token)
        .map(grant -> keys.find(grant.keyId()).compose(found -> {
          ApiKey key = found.orElse(null);
          if (key == null || !key.active() || key.isExpiredAt(clock.instant())) {
            return refuse(ApiError.INVALID_STREAM_TOKEN, "Stream token's key is no longer active", "stream_token");
          }
          return Future.succeededFuture(new StreamCaller(key.caller(), grant));
        }))
        .orElseGet(() -> refuse(ApiError.INVALID_STREAM_TOKEN, "Stream token is invalid or expired", "stream_token"));
  }

  /** A caller authenticated by a stream token, limited to what the token grants. */
  public record StreamCaller(Caller caller, StreamTokens.Grant grant) {}

  public boolean publicMintingEnabled() {
    return publicMinting.get();
  }

  /**
   * Mints a permanent key for the label, with a default actor of the same name (contract §4.1).
   * The label becomes the owner id.
   */
  public Future<IssuedKey> issue(String rawLabel, String remoteAddr, boolean byAdmin) {
    if (!byAdmin && !publicMintingEnabled()) {
      return Future.failedFuture(ApiError.MINTING_CLOSED.exception(
          "Public key minting is closed on this instance; ask the operator for a key"));
    }
    String label = truncate(rawLabel.strip());
    return store.write(tx -> issue(tx, label, label, remoteAddr, byAdmin ? "key.issue.admin" : "key.issue"));
  }

  /**
   * Mints inside an enclosing write: the key, its default actor named after the label, and the
   * audit event. The owner id is the label for every key except built-in ones (the sandbox bot).
   */
  public IssuedKey issue(Tx tx, String label, String ownerId, String remoteAddr, String auditEvent) {
    if (keys.hasActiveLabel(tx, label)) {
      throw ApiError.LABEL_IN_USE.exception("An active key already uses agent_label '" + label + "'");
    }
    KeyHasher.RawKey raw = hasher.mint();
    ApiKey key = new ApiKey(raw.keyId(), raw.hash(), ownerId, label, "free", true, null, tx.now(), null);
    keys.insert(tx, key);
    issued.issued(tx, key);
    audit.record(tx, null, key.keyId(), auditEvent, remoteAddr, Map.of("agent_label", label));
    return new IssuedKey(raw.raw(), key);
  }

  private static String truncate(String label) {
    return label.codePointCount(0, label.length()) <= MAX_LABEL_LENGTH
        ? label
        : label.substring(0, label.offsetByCodePoints(0, MAX_LABEL_LENGTH));
  }

  /** Verifies an {@code X-API-Key} value (contract §2.1). */
  public Future<Caller> authenticate(String header) {
    if (header == null || header.isEmpty()) {
      return refuse(ApiError.UNAUTHORIZED, "Missing X-API-Key header", "missing");
    }
    int dot = header.indexOf('.');
    if (dot <= 0 || dot == header.length() - 1) {
      return refuse(ApiError.UNAUTHORIZED, "Malformed API key", "malformed");
    }
    String keyId = header.substring(0, dot);
    String hash = KeyHasher.sha256Hex(header);
    long now = ticker.nanos();
    Caller cached = cache.get(keyId, hash, now);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    long version = cache.version();
    return keys.find(keyId).compose(found -> {
      if (found.isEmpty() || !constantTimeEquals(found.get().keyHash(), hash)) {
        return refuse(ApiError.UNAUTHORIZED, "Invalid API key", "invalid");
      }
      ApiKey key = found.get();
      if (!key.active()) {
        return refuse(ApiError.UNAUTHORIZED, "Inactive API key", "inactive");
      }
      if (key.isExpiredAt(clock.instant())) {
        return refuse(ApiError.KEY_EXPIRED, "API key has expired", "expired");
      }
      Caller caller = key.caller();
      cache.put(keyId, hash, caller, now, version);
      store.write(tx -> {
        keys.touch(tx, keyId, tx.now());
        return null;
      });
      return Future.succeededFuture(caller);
    });
  }

  private <T> Future<T> refuse(ApiError error, String message, String reason) {
    metrics.authFailure(reason);
    return Future.failedFuture(error.exception(message));
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Commit events, in commit order: a revoked or re-scoped key leaves the cache, and the minting
   * switch follows the committed value.
   */
  public void onCommitted(List<Committed> batch) {
    for (Committed change : batch) {
      switch (change.kind()) {
        case KEY_REVOKED, KEY_CHANGED -> cache.evict((String) change.subject());
        case MINTING_CHANGED -> publicMinting.set(Boolean.parseBoolean((String) change.subject()));
        default -> { }
      }
    }
  }

  /** Deactivates the caller's own key at once; its label becomes free again. */
  public Void revoke(Tx tx, Caller caller, String remoteAddr) {
    keys.revoke(tx, caller.keyId(), tx.now());
    tx.emit(new Committed(Committed.Kind.KEY_REVOKED, null, tx.nextSeq(), caller.keyId()));
    audit.record(tx, caller.keyId(), caller.keyId(), "key.revoke", remoteAddr, Map.of("self_revoked", true));
    return null;
  }

  public Future<Set<Scope>> setScopes(Caller caller, Set<Scope> scopes) {
    return store.<Set<Scope>>write(tx -> {
      keys.setScopes(tx, caller.keyId(), scopes);
      tx.emit(new Committed(Committed.Kind.KEY_CHANGED, null, tx.nextSeq(), caller.keyId()));
      return scopes;
    });
  }

  /** Opens or closes public minting; persisted so it survives restarts (contract §4.12). */
  public Future<Boolean> setPublicMinting(boolean enabled, String remoteAddr) {
    return store.<Boolean>write(tx -> {
      settings.put(tx, MINTING_SETTING, Boolean.toString(enabled));
      tx.emit(new Committed(Committed.Kind.MINTING_CHANGED, null, tx.nextSeq(), Boolean.toString(enabled)));
      audit.record(tx, null, null, "minting.toggle", remoteAddr, Map.of("enabled", enabled));
      return enabled;
    });
  }

}
