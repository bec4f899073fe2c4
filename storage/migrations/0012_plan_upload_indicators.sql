-- A plan upload awaiting confirmation keeps the numeric indicators offered with it: each with
-- the measure proposed for it and whether the coordinator switched it on, so the preview's
-- toggles survive a restart and «Зберегти» saves exactly what was chosen. A JSON list of
-- {code, label, unit, measure_number, chosen}; uploads read before this offered none.
ALTER TABLE plan_uploads ADD COLUMN offer_json TEXT NOT NULL DEFAULT '[]';
