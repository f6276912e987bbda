-- Backchannel schema for PostgreSQL: the SQLite schema at its version 7, in one step.
-- Times are BIGINT microseconds since the epoch (UTC), flags are INTEGER 0/1, JSON is TEXT, as in
-- SQLite, so the stores read both alike. Tables whose lists break ties by insertion order carry a
-- rowid identity column, which SQLite has implicitly.

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('last_seq', 0), ('last_created_at', 0);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE api_keys (
  key_id       TEXT PRIMARY KEY,
  key_hash     TEXT NOT NULL,
  owner_id     TEXT NOT NULL,
  agent_label  TEXT,
  plan         TEXT NOT NULL DEFAULT 'free',
  active       INTEGER NOT NULL DEFAULT 1,
  scopes       TEXT,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_keys_active_label ON api_keys (agent_label) WHERE active = 1;
CREATE INDEX api_keys_owner ON api_keys (owner_id);

CREATE TABLE actors (
  rowid             BIGINT GENERATED ALWAYS AS IDENTITY,
  id                TEXT PRIMARY KEY,
  owner_id          TEXT NOT NULL,
  created_by_key_id TEXT NOT NULL,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  metadata          TEXT NOT NULL DEFAULT '{}',
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX actors_owner_name ON actors (owner_id, name, created_at);
CREATE INDEX actors_name ON actors (name);

CREATE TABLE actor_aliases (
  alias    TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE
);
CREATE INDEX actor_aliases_actor ON actor_aliases (actor_id);

CREATE TABLE actor_webhooks (
  actor_id   TEXT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  secret     TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE channels (
  id                    TEXT PRIMARY KEY,
  owner_id              TEXT NOT NULL,
  created_by_key_id     TEXT NOT NULL,
  name                  TEXT NOT NULL,
  mode                  TEXT NOT NULL CHECK (mode IN ('broadcast', 'claimable')),
  access                TEXT NOT NULL DEFAULT 'open' CHECK (access IN ('open', 'restricted')),
  discoverable          INTEGER NOT NULL DEFAULT 0,
  description           TEXT NOT NULL DEFAULT '',
  metadata_schema       TEXT NOT NULL DEFAULT '{}',
  pinned_message        TEXT,
  webhook_url           TEXT,
  webhook_secret        TEXT,
  ttl_seconds           BIGINT NOT NULL,
  retention_days        BIGINT NOT NULL,
  max_messages          BIGINT,
  max_writes_per_minute BIGINT,
  paused                INTEGER NOT NULL DEFAULT 0,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  purged_through_seq    BIGINT NOT NULL DEFAULT 0,
  purged_through_at     BIGINT NOT NULL DEFAULT 0,
  max_deliveries        BIGINT,
  dead_letter_channel   TEXT,
  max_in_flight         BIGINT
);
CREATE INDEX channels_owner_name ON channels (owner_id, name, created_at);
CREATE INDEX channels_discoverable ON channels (discoverable, created_at);
CREATE INDEX channels_creator ON channels (created_by_key_id);

CREATE TABLE channel_aliases (
  alias      TEXT PRIMARY KEY,
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE
);
CREATE INDEX channel_aliases_channel ON channel_aliases (channel_id);

CREATE TABLE channel_links (
  channel_id         TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  related_channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, related_channel_id)
);
CREATE INDEX channel_links_related ON channel_links (related_channel_id);

CREATE TABLE channel_members (
  rowid                     BIGINT GENERATED ALWAYS AS IDENTITY,
  id                        TEXT PRIMARY KEY,
  channel_id                TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  key_id                    TEXT NOT NULL,
  granted_at                BIGINT NOT NULL,
  granted_via_invitation_id TEXT,
  UNIQUE (channel_id, key_id)
);
CREATE INDEX channel_members_key ON channel_members (key_id);

CREATE TABLE channel_invitations (
  id                TEXT PRIMARY KEY,
  channel_id        TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  owner_id          TEXT NOT NULL,
  created_by_key_id TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  revoked_at        BIGINT
);
CREATE INDEX channel_invitations_expiry ON channel_invitations (expires_at);
CREATE INDEX channel_invitations_channel ON channel_invitations (channel_id);

CREATE TABLE channel_events (
  id             TEXT PRIMARY KEY,
  seq            BIGINT NOT NULL,
  channel_id     TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  event_type     TEXT NOT NULL,
  actor_key_id   TEXT NOT NULL,
  subject_key_id TEXT,
  invitation_id  TEXT,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL
);
CREATE INDEX channel_events_channel ON channel_events (channel_id, created_at);
CREATE INDEX channel_events_expiry ON channel_events (expires_at);

CREATE TABLE access_requests (
  rowid              BIGINT GENERATED ALWAYS AS IDENTITY,
  id                 TEXT PRIMARY KEY,
  channel_id         TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  requester_key_id   TEXT NOT NULL,
  reason             TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
  created_at         BIGINT NOT NULL,
  resolved_at        BIGINT,
  resolved_by_key_id TEXT
);
CREATE UNIQUE INDEX access_requests_pending ON access_requests (channel_id, requester_key_id) WHERE status = 'pending';

-- The claim lives on the message row; seq comes from the writer, in commit order (counters).
CREATE TABLE messages (
  seq                BIGINT PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  channel_id         TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id           TEXT,
  actor_name         TEXT,
  actor_label        TEXT,
  content            TEXT NOT NULL,
  metadata           TEXT NOT NULL DEFAULT '{}',
  mentions           TEXT NOT NULL DEFAULT '[]',
  created_at         BIGINT NOT NULL,
  expires_at         BIGINT NOT NULL,
  claimed_by_id      TEXT,
  claimed_by_name    TEXT,
  claimed_by_key_id  TEXT,
  claimed_at         BIGINT,
  lease_token        TEXT,
  lease_expires_at   BIGINT,
  ack_count          BIGINT NOT NULL DEFAULT 0,
  acks               TEXT NOT NULL DEFAULT '[]',
  priority           INTEGER NOT NULL DEFAULT 5,
  deliver_at         BIGINT,
  delivery_count     BIGINT NOT NULL DEFAULT 0,
  fence              BIGINT NOT NULL DEFAULT 0,
  dead_lettered_from TEXT,
  last_failure       TEXT,
  posted_by_key_id   TEXT,
  edited_at          BIGINT,
  edit_count         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX messages_channel_created ON messages (channel_id, created_at);
CREATE INDEX messages_channel_seq ON messages (channel_id, seq);
CREATE INDEX messages_expiry ON messages (expires_at);
CREATE UNIQUE INDEX messages_lease_token ON messages (lease_token) WHERE lease_token IS NOT NULL;
CREATE INDEX messages_lease_expiry ON messages (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX messages_ready ON messages (channel_id, priority DESC, seq) WHERE claimed_by_id IS NULL;
CREATE INDEX messages_due ON messages (deliver_at) WHERE deliver_at IS NOT NULL;
CREATE INDEX messages_holder ON messages (channel_id, claimed_by_id) WHERE claimed_by_id IS NOT NULL;

CREATE TABLE message_events (
  id          TEXT PRIMARY KEY,
  message_id  TEXT NOT NULL,
  channel_id  TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id    TEXT,
  actor_name  TEXT,
  key_id      TEXT,
  event_type  TEXT NOT NULL,
  metadata    TEXT NOT NULL DEFAULT '{}',
  occurred_at BIGINT NOT NULL
);
CREATE INDEX message_events_message ON message_events (message_id, event_type, actor_id);
CREATE INDEX message_events_channel ON message_events (channel_id, occurred_at);

CREATE TABLE archived_messages (
  id              TEXT PRIMARY KEY,
  seq             BIGINT NOT NULL,
  channel_id      TEXT NOT NULL,
  actor_id        TEXT,
  actor_name      TEXT,
  actor_label     TEXT,
  content         TEXT NOT NULL,
  metadata        TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL,
  claimed_by_id   TEXT,
  claimed_by_name TEXT,
  claimed_at      BIGINT,
  acks            TEXT NOT NULL DEFAULT '[]',
  events          TEXT NOT NULL DEFAULT '[]',
  reason          TEXT NOT NULL,
  archived_at     BIGINT NOT NULL
);
CREATE INDEX archived_messages_channel ON archived_messages (channel_id, created_at);
CREATE INDEX archived_messages_archived ON archived_messages (archived_at);

CREATE TABLE sessions (
  rowid        BIGINT GENERATED ALWAYS AS IDENTITY,
  id           TEXT PRIMARY KEY,
  owner_key_id TEXT NOT NULL,
  name         TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT '{}',
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_owner ON sessions (owner_key_id, created_at);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE idempotency_records (
  scope_key    TEXT PRIMARY KEY,
  key_id       TEXT NOT NULL,
  source       TEXT NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT,
  body         BYTEA NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

CREATE TABLE security_audit (
  rowid          BIGINT GENERATED ALWAYS AS IDENTITY,
  id             TEXT PRIMARY KEY,
  occurred_at    BIGINT NOT NULL,
  actor_key_id   TEXT,
  subject_key_id TEXT,
  event_type     TEXT NOT NULL,
  remote_addr    TEXT,
  detail         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX security_audit_time ON security_audit (occurred_at);
CREATE INDEX security_audit_actor ON security_audit (actor_key_id);
CREATE INDEX security_audit_subject ON security_audit (subject_key_id);

CREATE TABLE cleanup_runs (
  rowid           BIGINT GENERATED ALWAYS AS IDENTITY,
  id              TEXT PRIMARY KEY,
  started_at      BIGINT NOT NULL,
  finished_at     BIGINT,
  status          TEXT NOT NULL,
  summary         TEXT NOT NULL DEFAULT '{}',
  failure_message TEXT
);
CREATE INDEX cleanup_runs_started ON cleanup_runs (started_at);

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  channel_id      TEXT,
  event_type      TEXT NOT NULL,
  url             TEXT NOT NULL,
  secret          TEXT,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'abandoned')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, created_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

CREATE TABLE mention_pushes (
  channel_id   TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  last_sent_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);

CREATE TABLE subscriptions (
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  key_id     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);
CREATE INDEX subscriptions_actor ON subscriptions (actor_id);

CREATE TABLE mentions (
  id                 TEXT PRIMARY KEY,
  seq                BIGINT NOT NULL UNIQUE,
  message_id         TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  channel_id         TEXT NOT NULL,
  actor_id           TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  actor_name         TEXT NOT NULL,
  owner_id           TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  acked_at           BIGINT,
  claimed_by_key     TEXT,
  claim_expires_at   BIGINT,
  status             TEXT NOT NULL DEFAULT 'pending',
  status_at          BIGINT,
  completion_ref     TEXT,
  mention_removed_at BIGINT
);
CREATE INDEX mentions_owner ON mentions (owner_id, seq);
CREATE INDEX mentions_message ON mentions (message_id);
CREATE INDEX mentions_inbox ON mentions (owner_id, status, seq);

CREATE TABLE read_positions (
  channel_id TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id   TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  seq        BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);
