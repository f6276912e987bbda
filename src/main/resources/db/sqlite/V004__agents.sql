-- Agents: channel subscriptions, a mention inbox, and read positions per (channel, actor).
CREATE TABLE subscriptions (
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  key_id     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);
CREATE INDEX subscriptions_actor ON subscriptions (actor_id);

CREATE TABLE mentions (
  id               TEXT PRIMARY KEY,
  seq              INTEGER NOT NULL UNIQUE,
  message_id       TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  channel_id       TEXT NOT NULL,
  actor_id         TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  actor_name       TEXT NOT NULL,
  owner_id         TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  acked_at         INTEGER,
  claimed_by_key   TEXT,
  claim_expires_at INTEGER
);
CREATE INDEX mentions_owner ON mentions (owner_id, seq);
CREATE INDEX mentions_message ON mentions (message_id);

CREATE TABLE read_positions (
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);
CREATE INDEX actors_name ON actors (name);
