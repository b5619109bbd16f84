-- The reference server's schema. Times are INTEGER microseconds since the Unix epoch (UTC).

-- The server-wide change counter: bumped once inside every transaction that changes a user.
CREATE TABLE change_counter (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO change_counter (id, version) VALUES (1, 0);

-- Ed25519 keys that sign service-user tokens; the newest is the active one.
CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    private_der  BLOB NOT NULL,   -- PKCS#8 DER
    public_raw   BLOB NOT NULL,   -- 32 bytes
    created_us   INTEGER NOT NULL
);

CREATE TABLE roles (
    role_id        TEXT PRIMARY KEY,
    role_name      TEXT NOT NULL,
    description    TEXT,
    is_system_role INTEGER NOT NULL,
    is_super_admin INTEGER NOT NULL,
    permissions    TEXT NOT NULL  -- JSON array of strings
);

CREATE TABLE tags (
    tag_id      TEXT PRIMARY KEY,
    tag_key     TEXT NOT NULL,
    tag_value   TEXT NOT NULL,
    description TEXT
);

-- uid is never reused (AUTOINCREMENT), so a deleted and re-created id gets a new uid and
-- old service-user tokens (which carry the uid) stay dead.
CREATE TABLE users (
    uid              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          TEXT NOT NULL UNIQUE,
    user_id_folded   TEXT NOT NULL UNIQUE,  -- lowercase: no look-alike accounts
    is_service_user  INTEGER NOT NULL,
    display_name     TEXT NOT NULL,
    description      TEXT,
    email            TEXT,
    password_hash    TEXT,                  -- argon2id PHC string; regular users only
    status           TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
    disabled_us      INTEGER,               -- the last time it was disabled
    default_role_id  TEXT NOT NULL REFERENCES roles (role_id),
    created_by       TEXT,
    creation_us      INTEGER NOT NULL,
    modified_us      INTEGER NOT NULL,
    version          INTEGER NOT NULL UNIQUE
);

CREATE TABLE user_roles (
    uid     INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles (role_id),
    PRIMARY KEY (uid, role_id)
);

CREATE TABLE user_tags (
    uid    INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    tag_id TEXT NOT NULL REFERENCES tags (tag_id),
    PRIMARY KEY (uid, tag_id)
);

CREATE TABLE share_users (
    su_uid      INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    user_uid    INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    access_type TEXT NOT NULL CHECK (access_type = 'owner'),
    PRIMARY KEY (su_uid, user_uid)
);

CREATE TABLE share_tags (
    su_uid      INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    tag_id      TEXT NOT NULL REFERENCES tags (tag_id),
    access_type TEXT NOT NULL CHECK (access_type = 'owner'),
    PRIMARY KEY (su_uid, tag_id)
);

-- Deleted service users, for the change feed.
CREATE TABLE tombstones (
    version    INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL,
    uid        INTEGER NOT NULL,
    deleted_us INTEGER NOT NULL
);

-- Personal access tokens: only the SHA-256 digest of the secret is kept.
CREATE TABLE access_tokens (
    token_id    TEXT PRIMARY KEY,
    uid         INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    digest      BLOB NOT NULL UNIQUE,
    token_name  TEXT NOT NULL,
    description TEXT,
    role_id     TEXT NOT NULL REFERENCES roles (role_id),
    expires_us  INTEGER NOT NULL,
    creation_us INTEGER NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX access_tokens_uid ON access_tokens (uid);

-- Session tokens: only the SHA-256 digest of the secret is kept.
CREATE TABLE sessions (
    session_id  TEXT PRIMARY KEY,
    uid         INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    digest      BLOB NOT NULL UNIQUE,
    creation_us INTEGER NOT NULL,
    expires_us  INTEGER NOT NULL
);
CREATE INDEX sessions_uid ON sessions (uid);

-- No ON DELETE CASCADE: deleting a user who still owns a datasource fails, so a delete
-- cannot lose a resource that the transfer forgot.
CREATE TABLE datasources (
    datasource_id   TEXT PRIMARY KEY,
    datasource_name TEXT NOT NULL,
    datasource_type TEXT NOT NULL,
    owner_uid       INTEGER NOT NULL REFERENCES users (uid),
    creation_us     INTEGER NOT NULL
);
CREATE INDEX datasources_owner ON datasources (owner_uid);
