-- What every write transaction committed, so the other nodes on this database can hand it to
-- their streams and caches (PostgreSQL only: an SQLite database has one process). One row per
-- transaction that allocated sequence numbers, keyed by the last of them; rows are kept for
-- minutes, long enough for every live node to read them.
CREATE TABLE commit_log (
  last_seq     BIGINT PRIMARY KEY,
  floor_seq    BIGINT NOT NULL,
  node         TEXT NOT NULL,
  committed_at BIGINT NOT NULL,
  events       TEXT NOT NULL
);
CREATE INDEX commit_log_committed_at ON commit_log (committed_at);
