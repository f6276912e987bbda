-- Work queues: priorities, delayed delivery, redelivery counts, fencing, dead letters.
ALTER TABLE messages ADD COLUMN priority INTEGER NOT NULL DEFAULT 5;
ALTER TABLE messages ADD COLUMN deliver_at INTEGER;
ALTER TABLE messages ADD COLUMN delivery_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN dead_lettered_from TEXT;
ALTER TABLE messages ADD COLUMN last_failure TEXT;
CREATE INDEX messages_ready ON messages (channel_id, priority DESC, seq) WHERE claimed_by_id IS NULL;
CREATE INDEX messages_due ON messages (deliver_at) WHERE deliver_at IS NOT NULL;
CREATE INDEX messages_holder ON messages (channel_id, claimed_by_id) WHERE claimed_by_id IS NOT NULL;
ALTER TABLE channels ADD COLUMN max_deliveries INTEGER;
ALTER TABLE channels ADD COLUMN dead_letter_channel TEXT;
ALTER TABLE channels ADD COLUMN max_in_flight INTEGER;
