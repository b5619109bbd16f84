-- What this app did to each service user, for its history panel. Local only: the server's
-- own audit trail is the authority; this records the actions taken from this machine.
CREATE TABLE activity (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    service_user_id TEXT NOT NULL,
    action          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    actor           TEXT
);
CREATE INDEX activity_user ON activity (service_user_id, id);
