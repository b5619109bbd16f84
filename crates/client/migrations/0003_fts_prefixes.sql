-- Prefix indexes for 1 and 3 characters instead of 1, 2 and 3. Without a prefix index a short
-- prefix ("svc-0" is the token prefix "0", shared by 100,000 ids; "sys" is in every
-- "SystemRole-...") merges every matching term's list before the first match. A 2-character
-- index cost another 15-25% of the index's write time in a first sync for little: 2-character
-- prefixes match few distinct terms, and those merge in a couple of milliseconds.
DROP TABLE users_fts;
CREATE VIRTUAL TABLE users_fts USING fts5 (
    user_id, display_name, description, roles, tags,
    content = '', contentless_delete = 1, prefix = '1 3'
);
INSERT INTO users_fts (users_fts, rank) VALUES ('automerge', 0);
INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
    SELECT rid, user_id, display_name, coalesce(description, ''), roles_text, tags_text
    FROM users;
