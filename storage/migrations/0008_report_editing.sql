-- A submitted report the person is changing: the submitted version still counts until a newer
-- one is submitted; the answers table holds the changes meanwhile.
ALTER TABLE reports ADD COLUMN editing INTEGER NOT NULL DEFAULT 0 CHECK (editing IN (0, 1));
