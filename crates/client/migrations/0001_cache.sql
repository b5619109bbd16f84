-- The client's cache: only what the server confirmed, each row with its fetched_at. Never a
-- secret. Rebuildable at any time by a full sync.

CREATE TABLE users (
    user_id          TEXT PRIMARY KEY NOT NULL,
    is_service_user  INTEGER NOT NULL,
    display_name     TEXT NOT NULL,
    description      TEXT,
    user_status      TEXT NOT NULL,
    roles_text       TEXT NOT NULL,
    tags_text        TEXT NOT NULL,
    version          INTEGER NOT NULL,
    body             TEXT NOT NULL,      -- the User as the server sent it (JSON)
    fetched_at       TEXT NOT NULL,
    generation       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_kind ON users (is_service_user, user_id);
CREATE INDEX users_generation ON users (generation);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL,
    role_id TEXT NOT NULL,
    PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE user_tags (
    user_id TEXT NOT NULL,
    tag_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE shares (
    service_user_id TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('user', 'tag')),
    principal_id    TEXT NOT NULL,
    access_type     TEXT NOT NULL,
    PRIMARY KEY (service_user_id, kind, principal_id)
) WITHOUT ROWID;
CREATE INDEX shares_principal ON shares (kind, principal_id);

-- Full-text search over name, id, description, roles and tags (rowid = users.rowid).
CREATE VIRTUAL TABLE users_fts USING fts5 (user_id, display_name, description, roles, tags);

CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
        VALUES (new.rowid, new.user_id, new.display_name, coalesce(new.description, ''), new.roles_text, new.tags_text);
    INSERT OR IGNORE INTO user_roles (user_id, role_id)
        SELECT new.user_id, value FROM json_each(new.body, '$.Roles');
    INSERT OR IGNORE INTO user_tags (user_id, tag_id)
        SELECT new.user_id, value FROM json_each(new.body, '$.Tags');
    INSERT OR IGNORE INTO shares (service_user_id, kind, principal_id, access_type)
        SELECT new.user_id, 'user', json_extract(value, '$.UserId'), json_extract(value, '$.AccessType')
        FROM json_each(new.body, '$.Shares.Users');
    INSERT OR IGNORE INTO shares (service_user_id, kind, principal_id, access_type)
        SELECT new.user_id, 'tag', json_extract(value, '$.TagId'), json_extract(value, '$.AccessType')
        FROM json_each(new.body, '$.Shares.Tags');
END;

CREATE TRIGGER users_ad AFTER DELETE ON users BEGIN
    DELETE FROM users_fts WHERE rowid = old.rowid;
    DELETE FROM user_roles WHERE user_id = old.user_id;
    DELETE FROM user_tags WHERE user_id = old.user_id;
    DELETE FROM shares WHERE service_user_id = old.user_id;
END;

CREATE TRIGGER users_au AFTER UPDATE OF body ON users WHEN old.body IS NOT new.body BEGIN
    DELETE FROM users_fts WHERE rowid = old.rowid;
    INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
        VALUES (new.rowid, new.user_id, new.display_name, coalesce(new.description, ''), new.roles_text, new.tags_text);
    DELETE FROM user_roles WHERE user_id = old.user_id;
    DELETE FROM user_tags WHERE user_id = old.user_id;
    DELETE FROM shares WHERE service_user_id = old.user_id;
    INSERT OR IGNORE INTO user_roles (user_id, role_id)
        SELECT new.user_id, value FROM json_each(new.body, '$.Roles');
    INSERT OR IGNORE INTO user_tags (user_id, tag_id)
        SELECT new.user_id, value FROM json_each(new.body, '$.Tags');
    INSERT OR IGNORE INTO shares (service_user_id, kind, principal_id, access_type)
        SELECT new.user_id, 'user', json_extract(value, '$.UserId'), json_extract(value, '$.AccessType')
        FROM json_each(new.body, '$.Shares.Users');
    INSERT OR IGNORE INTO shares (service_user_id, kind, principal_id, access_type)
        SELECT new.user_id, 'tag', json_extract(value, '$.TagId'), json_extract(value, '$.AccessType')
        FROM json_each(new.body, '$.Shares.Tags');
END;

CREATE TABLE roles (
    role_id    TEXT PRIMARY KEY NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE tags (
    tag_id     TEXT PRIMARY KEY NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

-- Other reads kept for offline use: owned-resource previews ('owned:<id>'), PAT lists
-- ('pats-of:<id>', 'pats-as:<id>'), the principal ('whoami'). Metadata only.
CREATE TABLE reads (
    key        TEXT PRIMARY KEY NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

-- Assumed identities: metadata only; the token itself is in the OS keychain.
CREATE TABLE assumed_tokens (
    service_user_id TEXT PRIMARY KEY NOT NULL,
    role_id         TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    issued_at       TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    jti             TEXT NOT NULL,
    assumed_by      TEXT NOT NULL
);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
