-- Plans of measures, their versions, numeric indicators, and uploads awaiting confirmation.
CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    title         TEXT    NOT NULL,
    order_number  TEXT    NOT NULL DEFAULT '',
    order_date    TEXT,
    year_from     INTEGER NOT NULL,
    year_to       INTEGER NOT NULL CHECK (year_to >= year_from),
    version       INTEGER NOT NULL,
    active        INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    source_name   TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    created_by    INTEGER
);

CREATE TABLE measures (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plans(id),
    position        INTEGER NOT NULL,
    section_number  TEXT    NOT NULL,
    section_title   TEXT    NOT NULL,
    number          TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    term            TEXT    NOT NULL DEFAULT '',
    responsible     TEXT    NOT NULL DEFAULT '',
    indicator       TEXT    NOT NULL DEFAULT '',
    kinds           TEXT    NOT NULL DEFAULT '',
    UNIQUE (plan_id, number)
);

CREATE TABLE indicators (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id),
    position  INTEGER NOT NULL,
    code      TEXT    NOT NULL,
    label     TEXT    NOT NULL,
    unit      TEXT    NOT NULL DEFAULT '',
    UNIQUE (plan_id, code)
);

-- A plan file read but not yet confirmed: kept so that a restart does not lose the preview.
CREATE TABLE plan_uploads (
    id           INTEGER PRIMARY KEY,
    telegram_id  INTEGER NOT NULL,
    filename     TEXT    NOT NULL,
    draft_json   TEXT    NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'saved', 'cancelled')),
    created_at   TEXT    NOT NULL,
    plan_id      INTEGER REFERENCES plans(id)
);
