-- Backchannel schema, version 1. Times are INTEGER microseconds since the epoch (UTC).

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
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
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
-- contract §10.2 #21: one active key per label, enforced by the database.
CREATE UNIQUE INDEX api_keys_active_label ON api_keys (agent_label) WHERE active = 1;
CREATE INDEX api_keys_owner ON api_keys (owner_id);

CREATE TABLE actors (
  id                TEXT PRIMARY KEY,
  owner_id          TEXT NOT NULL,
  created_by_key_id TEXT NOT NULL,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  metadata          TEXT NOT NULL DEFAULT '{}',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX actors_owner_name ON actors (owner_id, name, created_at);

CREATE TABLE actor_aliases (
  alias    TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE
);
CREATE INDEX actor_aliases_actor ON actor_aliases (actor_id);

CREATE TABLE actor_webhooks (
  actor_id   TEXT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  secret     TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
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
  ttl_seconds           INTEGER NOT NULL,
  retention_days        INTEGER NOT NULL,
  max_messages          INTEGER,
  max_writes_per_minute INTEGER,
  paused                INTEGER NOT NULL DEFAULT 0,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
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
  id                        TEXT PRIMARY KEY,
  channel_id                TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  key_id                    TEXT NOT NULL,
  granted_at                INTEGER NOT NULL,
  granted_via_invitation_id TEXT,
  UNIQUE (channel_id, key_id)
);
CREATE INDEX channel_members_key ON channel_members (key_id);

CREATE TABLE channel_invitations (
  id                TEXT PRIMARY KEY,
  channel_id        TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  owner_id          TEXT NOT NULL,
  created_by_key_id TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  revoked_at        INTEGER
);
CREATE INDEX channel_invitations_expiry ON channel_invitations (expires_at);
CREATE INDEX channel_invitations_channel ON channel_invitations (channel_id);

CREATE TABLE channel_events (
  id             TEXT PRIMARY KEY,
  seq            INTEGER NOT NULL,
  channel_id     TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  event_type     TEXT NOT NULL,
  actor_key_id   TEXT NOT NULL,
  subject_key_id TEXT,
  invitation_id  TEXT,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX channel_events_channel ON channel_events (channel_id, created_at);
CREATE INDEX channel_events_expiry ON channel_events (expires_at);

CREATE TABLE access_requests (
  id                 TEXT PRIMARY KEY,
  channel_id         TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  requester_key_id   TEXT NOT NULL,
  reason             TEXT NOT NULL DEFAULT '',
  status             TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
  created_at         INTEGER NOT NULL,
  resolved_at        INTEGER,
  resolved_by_key_id TEXT
);
CREATE UNIQUE INDEX access_requests_pending ON access_requests (channel_id, requester_key_id) WHERE status = 'pending';

-- The claim lives on the message row; seq is the rowid, allocated by the single writer.
CREATE TABLE messages (
  seq               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  channel_id        TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id          TEXT,
  actor_name        TEXT,
  actor_label       TEXT,
  content           TEXT NOT NULL,
  metadata          TEXT NOT NULL DEFAULT '{}',
  mentions          TEXT NOT NULL DEFAULT '[]',
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  claimed_by_id     TEXT,
  claimed_by_name   TEXT,
  claimed_by_key_id TEXT,
  claimed_at        INTEGER,
  lease_token       TEXT,
  lease_expires_at  INTEGER,
  ack_count         INTEGER NOT NULL DEFAULT 0,
  acks              TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX messages_channel_created ON messages (channel_id, created_at);
CREATE INDEX messages_expiry ON messages (expires_at);
CREATE UNIQUE INDEX messages_lease_token ON messages (lease_token) WHERE lease_token IS NOT NULL;
CREATE INDEX messages_lease_expiry ON messages (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

-- Claim, release and ack history of live messages (audit, metrics, archive).
CREATE TABLE message_events (
  id          TEXT PRIMARY KEY,
  message_id  TEXT NOT NULL,
  channel_id  TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  actor_id    TEXT,
  actor_name  TEXT,
  key_id      TEXT,
  event_type  TEXT NOT NULL,
  metadata    TEXT NOT NULL DEFAULT '{}',
  occurred_at INTEGER NOT NULL
);
CREATE INDEX message_events_message ON message_events (message_id, event_type, actor_id);
CREATE INDEX message_events_channel ON message_events (channel_id, occurred_at);

CREATE TABLE archived_messages (
  id              TEXT PRIMARY KEY,
  seq             INTEGER NOT NULL,
  channel_id      TEXT NOT NULL,
  actor_id        TEXT,
  actor_name      TEXT,
  actor_label     TEXT,
  content         TEXT NOT NULL,
  metadata        TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  claimed_by_id   TEXT,
  claimed_by_name TEXT,
  claimed_at      INTEGER,
  acks            TEXT NOT NULL DEFAULT '[]',
  events          TEXT NOT NULL DEFAULT '[]',
  reason          TEXT NOT NULL,
  archived_at     INTEGER NOT NULL
);
CREATE INDEX archived_messages_channel ON archived_messages (channel_id, created_at);
CREATE INDEX archived_messages_archived ON archived_messages (archived_at);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  owner_key_id TEXT NOT NULL,
  name         TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_owner ON sessions (owner_key_id, created_at);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE idempotency_records (
  scope_key    TEXT PRIMARY KEY,
  key_id       TEXT NOT NULL,
  source       TEXT NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT,
  body         BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

CREATE TABLE security_audit (
  id             TEXT PRIMARY KEY,
  occurred_at    INTEGER NOT NULL,
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
  id              TEXT PRIMARY KEY,
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER,
  status          TEXT NOT NULL,
  summary         TEXT NOT NULL DEFAULT '{}',
  failure_message TEXT
);
CREATE INDEX cleanup_runs_started ON cleanup_runs (started_at);
