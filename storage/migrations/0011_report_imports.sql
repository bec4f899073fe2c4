-- An organisation's own report document read in by the coordinator. While pending it holds the
-- rows read (so a restart loses no preview) and, once the organisation is known, whose report
-- it is; once saved it records which report version came from which file (the evidence: the
-- Telegram file id, or '' from the command line, and the file's SHA-256).
CREATE TABLE report_imports (
    id              INTEGER PRIMARY KEY,
    telegram_id     INTEGER,
    filename        TEXT    NOT NULL,
    file_id         TEXT    NOT NULL DEFAULT '',
    file_size       INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds(id),
    enterprise_id   INTEGER REFERENCES enterprises(id),
    rows_json       TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'saved', 'cancelled')),
    created_at      TEXT    NOT NULL,
    report_id       INTEGER REFERENCES reports(id),
    version         INTEGER
);
CREATE INDEX report_imports_report ON report_imports (report_id, version);
