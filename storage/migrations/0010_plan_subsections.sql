-- Plans numbered on three levels (1 → 1.1 → 1.1.1) keep their subsections: a measure names the
-- subsection it sits in, under its section ('' where the plan has none).
ALTER TABLE measures ADD COLUMN subsection_number TEXT NOT NULL DEFAULT '';
ALTER TABLE measures ADD COLUMN subsection_title TEXT NOT NULL DEFAULT '';
