-- The live questionnaire window is named by a token stored before the screen is sent and
-- carried in its buttons, so a crash between the send and storing the message id leaves the
-- screen working. 0 means no live window (the person pressed «Зберегти й вийти»).
ALTER TABLE questionnaire_positions ADD COLUMN screen INTEGER NOT NULL DEFAULT 0;
UPDATE questionnaire_positions SET screen = CASE WHEN message_id IS NULL THEN 0 ELSE 1 END;
