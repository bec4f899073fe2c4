-- Reminders: each round's planned ladder, snoozes ("remind me tomorrow"), persons found overdue.
CREATE TABLE reminder_plan (
    round_id    INTEGER NOT NULL REFERENCES rounds(id),
    kind        TEXT    NOT NULL,
    due_at      TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'planned'
                CHECK (state IN ('planned', 'sent', 'dropped')),
    -- Why a row was dropped: superseded by a later one in a catch-up, stale, or out of the plan.
    reason      TEXT,
    decided_at  TEXT,
    PRIMARY KEY (round_id, kind)
);
CREATE INDEX reminder_plan_due ON reminder_plan (state, due_at);

CREATE TABLE reminder_snoozes (
    round_id    INTEGER NOT NULL REFERENCES rounds(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    until       TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'done')),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (round_id, person_id)
);

-- Set when the coordinator is told a report is missing; later reminders say so.
CREATE TABLE overdue_persons (
    round_id    INTEGER NOT NULL REFERENCES rounds(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    marked_at   TEXT    NOT NULL,
    PRIMARY KEY (round_id, person_id)
);
