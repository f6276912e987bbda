-- Webhook outbox (contract §5.14, §10.2 #16/#17). A row is queued in the same write as the
-- message post or access-request approval that causes it, and the delivery worker sends it.

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  channel_id      TEXT,
  event_type      TEXT NOT NULL,
  url             TEXT NOT NULL,
  secret          TEXT,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'abandoned')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, created_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

-- Mention webhooks go out at most once a minute per (channel, actor); extra mentions are dropped.
CREATE TABLE mention_pushes (
  channel_id   TEXT NOT NULL,
  actor_id     TEXT NOT NULL,
  last_sent_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, actor_id)
);
