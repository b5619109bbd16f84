-- A session records its user's disable generation when it was created, and is refused once the
-- user's moves (as service-user tokens are), so a session created while a disable was in flight
-- stays dead after a re-enable. Existing sessions keep what the times said: one from before the
-- last disable gets -1, which no user has.
ALTER TABLE sessions ADD COLUMN disable_generation INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET disable_generation = COALESCE(
    (SELECT u.disable_generation FROM users u
      WHERE u.uid = sessions.uid AND (u.disabled_us IS NULL OR sessions.creation_us > u.disabled_us)),
    -1);
