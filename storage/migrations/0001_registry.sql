-- Registry of enterprises and their authorized persons, invites, and the audit trail.
CREATE TABLE enterprises (
    id          INTEGER PRIMARY KEY,
    edrpou      TEXT    NOT NULL UNIQUE CHECK (length(edrpou) = 8),
    name        TEXT    NOT NULL,
    short_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('executive', 'municipal', 'education', 'health', 'other')),
    supervisor  TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE persons (
    id             INTEGER PRIMARY KEY,
    enterprise_id  INTEGER REFERENCES enterprises(id),
    full_name      TEXT    NOT NULL,
    position       TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    telegram_id    INTEGER UNIQUE,
    status         TEXT    NOT NULL DEFAULT 'active'
                   CHECK (status IN ('active', 'on_leave', 'idle', 'dismissed')),
    role           TEXT    NOT NULL DEFAULT 'authorized' CHECK (role IN ('authorized', 'coordinator')),
    unreachable    INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1)),
    bound_at       TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX persons_enterprise ON persons (enterprise_id);

CREATE TABLE invites (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id),
    code_hash     TEXT    NOT NULL UNIQUE,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    used_at       TEXT,
    used_by       INTEGER,
    revoked_at    TEXT
);
CREATE INDEX invites_person ON invites (person_id);

-- Failed invite attempts, kept in the DB so that a restart does not reset the rate limit.
CREATE TABLE invite_failures (
    id           INTEGER PRIMARY KEY,
    telegram_id  INTEGER NOT NULL,
    at           TEXT    NOT NULL
);
CREATE INDEX invite_failures_user ON invite_failures (telegram_id, at);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    actor_id     INTEGER,
    action       TEXT    NOT NULL,
    entity       TEXT    NOT NULL,
    entity_id    INTEGER,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
