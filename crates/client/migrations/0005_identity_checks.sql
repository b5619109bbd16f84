-- What the server last said of each assumed identity's token: when it was last checked, and
-- the refusal found then (none while the server accepts it). A new assume replaces the row, so
-- a new token starts with no refusal.
ALTER TABLE assumed_tokens ADD COLUMN checked_at TEXT;
ALTER TABLE assumed_tokens ADD COLUMN refusal_reason TEXT;
ALTER TABLE assumed_tokens ADD COLUMN refusal_code TEXT;
ALTER TABLE assumed_tokens ADD COLUMN refusal_message TEXT;
ALTER TABLE assumed_tokens ADD COLUMN refused_at TEXT;
