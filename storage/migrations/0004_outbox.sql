-- The outbox: every notification the bot sends on its own initiative, and each attempt at it.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    dedupe_key     TEXT    NOT NULL UNIQUE,
    chat_id        INTEGER NOT NULL,
    person_id      INTEGER REFERENCES persons(id),
    kind           TEXT    NOT NULL,
    method         TEXT    NOT NULL
                   CHECK (method IN ('sendMessage', 'sendDocument', 'sendPhoto', 'copyMessage')),
    payload_json   TEXT    NOT NULL,
    not_before     TEXT    NOT NULL,
    -- A reminder for a deadline already passed is pointless: past this it is dropped unsent.
    expires_at     TEXT,
    state          TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    -- Counted when a row is claimed, so a row that crashes its sender still runs out of tries.
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    claimed_by     TEXT,
    claimed_until  TEXT,
    sent_at        TEXT,
    message_id     INTEGER,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, not_before);
CREATE INDEX outbox_chat ON outbox (chat_id, state);

-- Every attempt and how Telegram answered. `wall` is real Unix time, shared by processes on one
-- host: per-chat pacing is about real Telegram traffic, not the business clock in `at`.
CREATE TABLE outbox_attempts (
    id           INTEGER PRIMARY KEY,
    outbox_id    INTEGER NOT NULL REFERENCES outbox(id),
    chat_id      INTEGER NOT NULL,
    worker_id    TEXT    NOT NULL,
    at           TEXT    NOT NULL,
    wall         REAL    NOT NULL,
    outcome      TEXT    NOT NULL
                 CHECK (outcome IN ('ok', 'retry_after', 'server_error', 'network', 'forbidden',
                                    'bad_request')),
    retry_after  INTEGER,
    detail       TEXT
);
CREATE INDEX outbox_attempts_row ON outbox_attempts (outbox_id);
CREATE INDEX outbox_attempts_chat ON outbox_attempts (chat_id, wall);
