-- Circulars (NAZK clarifications, announcements) and who received and acknowledged each.
CREATE TABLE circulars (
    id           INTEGER PRIMARY KEY,
    state        TEXT    NOT NULL DEFAULT 'draft'
                 CHECK (state IN ('draft', 'sent', 'cancelled')),
    author_id    INTEGER NOT NULL,
    -- The coordinator's text as Telegram HTML, and at most one attachment by file_id.
    text_html    TEXT    NOT NULL DEFAULT '',
    file_kind    TEXT    CHECK (file_kind IN ('document', 'photo')),
    file_id      TEXT,
    file_name    TEXT    NOT NULL DEFAULT '',
    audience     TEXT    NOT NULL DEFAULT 'all'
                 CHECK (audience IN ('all', 'kinds', 'enterprises')),
    -- Comma-separated enterprise kinds when audience = 'kinds'.
    kinds        TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    sent_at      TEXT
);
CREATE INDEX circulars_state ON circulars (state, sent_at);

-- Enterprises picked one by one when audience = 'enterprises'.
CREATE TABLE circular_enterprises (
    circular_id    INTEGER NOT NULL REFERENCES circulars(id),
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    PRIMARY KEY (circular_id, enterprise_id)
);

-- One row per recipient, fixed when the circular is sent. Delivery lives in the outbox row
-- keyed circular:<id>:<person>; reminded_at marks the one automatic reminder.
CREATE TABLE circular_receipts (
    circular_id      INTEGER NOT NULL REFERENCES circulars(id),
    person_id        INTEGER NOT NULL REFERENCES persons(id),
    enterprise_id    INTEGER REFERENCES enterprises(id),
    chat_id          INTEGER,
    acknowledged_at  TEXT,
    reminded_at      TEXT,
    PRIMARY KEY (circular_id, person_id)
);
CREATE INDEX circular_receipts_open ON circular_receipts (acknowledged_at, reminded_at);
