package dev.backchannel.key;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recently verified keys, so that most requests skip the database (contract §2.1: 60 s).
 * Entries are keyed by key id and hold the hash of the raw key that was verified, so a wrong
 * secret for a cached id still fails. Every revocation path evicts its entry (§10.2 #25), from the
 * commit event, before the revoking request is answered.
 */
final class AuthCache {
  private static final int MAX_ENTRIES = 100_000;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong evictions = new AtomicLong();
  private final long ttlNanos;

  AuthCache(long ttlNanos) {
    this.ttlNanos = ttlNanos;
  }

  Caller get(String keyId, String hash, long nowNanos) {
    Entry entry = entries.get(keyId);
    if (entry == null || !entry.hash.equals(hash)) {
      return null;
    }
    if (nowNanos - entry.storedAt > ttlNanos) {
      entries.remove(keyId, entry);
      return null;
    }
    return entry.caller;
  }

  /** Taken before reading a key from the database; {@link #put} refuses entries read before an eviction. */
  long version() {
    return evictions.get();
  }

  void put(String keyId, String hash, Caller caller, long nowNanos, long versionBeforeRead) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    Entry entry = new Entry(hash, caller, nowNanos);
    entries.put(keyId, entry);
    // A revocation committed while the key was being read: what was read may predate it.
    if (evictions.get() != versionBeforeRead) {
      entries.remove(keyId, entry);
    }
  }

  void evict(String keyId) {
    evictions.incrementAndGet();
    entries.remove(keyId);
  }

  private record Entry(String hash, Caller caller, long storedAt) {}
}
