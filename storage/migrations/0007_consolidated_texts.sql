-- The consolidated report's own texts: an indicator may belong to a measure, and the
-- coordinator's replacement of a measure's drafted text (or of the letter's proposal) is kept
-- per period until reverted.
ALTER TABLE indicators ADD COLUMN measure_number TEXT NOT NULL DEFAULT '';

CREATE TABLE summary_texts (
    period      TEXT    NOT NULL,            -- "2026Q1", "2026H1", "2026"
    slot        TEXT    NOT NULL,            -- "measure:<number>" or "proposal"
    text        TEXT    NOT NULL,
    basis       TEXT    NOT NULL DEFAULT '', -- the counts and totals the text was written against
    updated_at  TEXT    NOT NULL,
    updated_by  INTEGER,
    PRIMARY KEY (period, slot)
);
