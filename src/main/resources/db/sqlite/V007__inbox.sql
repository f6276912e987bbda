-- The mention inbox: each mention is an item with a status, the evidence it was completed with,
-- and whether an edit of its message took the mention away.
ALTER TABLE mentions ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE mentions ADD COLUMN status_at INTEGER;
ALTER TABLE mentions ADD COLUMN completion_ref TEXT;
ALTER TABLE mentions ADD COLUMN mention_removed_at INTEGER;
CREATE INDEX mentions_inbox ON mentions (owner_id, status, seq);
