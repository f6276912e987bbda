-- Message edits: only the posting key may edit, so it is kept; old rows have none and cannot be edited.
ALTER TABLE messages ADD COLUMN posted_by_key_id TEXT;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN edit_count INTEGER NOT NULL DEFAULT 0;
