-- How many times each user has been disabled. Every disable increments it in the same
-- transaction; a service-user token carries the value it was issued under (`dgen`) and is
-- refused once it differs, so a token issued before or during a disable stays dead after a
-- re-enable, whatever the clocks said.
ALTER TABLE users ADD COLUMN disable_generation INTEGER NOT NULL DEFAULT 0;
-- A user already disabled (or disabled once) counts one disable, so no token issued before
-- this migration (which carries no generation anyway) could match a later one.
UPDATE users SET disable_generation = 1 WHERE disabled_us IS NOT NULL;
