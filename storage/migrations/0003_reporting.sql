-- Report rounds, one report per round and enterprise, answers, evidence and frozen versions.
CREATE TABLE rounds (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL REFERENCES plans(id),
    period_kind    TEXT    NOT NULL CHECK (period_kind IN ('Q', 'H', 'Y')),
    period_number  INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    as_of          TEXT    NOT NULL,
    deadline       TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    opened_at      TEXT    NOT NULL,
    opened_by      INTEGER,
    closed_at      TEXT,
    UNIQUE (year, period_kind, period_number)
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES rounds(id),
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    state           TEXT    NOT NULL DEFAULT 'not_started'
                    CHECK (state IN ('not_started', 'draft', 'submitted', 'returned', 'accepted')),
    version         INTEGER NOT NULL DEFAULT 0,
    submitted_at    TEXT,
    late            INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    assignee_id     INTEGER REFERENCES persons(id),
    review_comment  TEXT    NOT NULL DEFAULT '',
    accepted_at     TEXT,
    updated_at      TEXT    NOT NULL,
    UNIQUE (round_id, enterprise_id)
);

CREATE TABLE answers (
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    measure_id  INTEGER NOT NULL REFERENCES measures(id),
    status      TEXT    CHECK (status IN ('done', 'in_progress', 'not_done', 'na')),
    narrative   TEXT    NOT NULL DEFAULT '',
    updated_at  TEXT    NOT NULL,
    updated_by  INTEGER,
    PRIMARY KEY (report_id, measure_id)
);

CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER NOT NULL REFERENCES reports(id),
    measure_id      INTEGER NOT NULL REFERENCES measures(id),
    file_id         TEXT    NOT NULL,
    file_unique_id  TEXT    NOT NULL DEFAULT '',
    file_name       TEXT    NOT NULL,
    file_size       INTEGER NOT NULL,
    media           TEXT    NOT NULL DEFAULT 'document' CHECK (media IN ('document', 'photo')),
    added_at        TEXT    NOT NULL
);
CREATE INDEX attachments_report ON attachments (report_id, measure_id);

-- A skipped indicator is a row with value NULL: asked and consciously left empty.
CREATE TABLE indicator_values (
    report_id  INTEGER NOT NULL REFERENCES reports(id),
    code       TEXT    NOT NULL,
    value      INTEGER CHECK (value IS NULL OR value >= 0),
    PRIMARY KEY (report_id, code)
);

-- Each submission frozen as it was sent, for the audit trail and disputes.
CREATE TABLE report_versions (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    version        INTEGER NOT NULL,
    submitted_at   TEXT    NOT NULL,
    submitted_by   INTEGER,
    late           INTEGER NOT NULL CHECK (late IN (0, 1)),
    snapshot_json  TEXT    NOT NULL,
    UNIQUE (report_id, version)
);

-- Where each person left the questionnaire; FSM memory may be lost, this may not.
CREATE TABLE questionnaire_positions (
    person_id   INTEGER PRIMARY KEY REFERENCES persons(id),
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    step        TEXT    NOT NULL,
    message_id  INTEGER,
    updated_at  TEXT    NOT NULL
);
