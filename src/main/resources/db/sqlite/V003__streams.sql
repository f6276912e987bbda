-- Streams resume by seq: a per-channel index, and how far back each channel's history is gone.
CREATE INDEX messages_channel_seq ON messages (channel_id, seq);
ALTER TABLE channels ADD COLUMN purged_through_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN purged_through_at INTEGER NOT NULL DEFAULT 0;
