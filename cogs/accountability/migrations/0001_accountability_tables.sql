-- Weekly accountability check-ins (/accountability). Local dates are TEXT 'YYYY-MM-DD' in the
-- member's zone; instants are INTEGER unix seconds (UTC).

-- One subscription per member per server.
CREATE TABLE accountability_subscriptions (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    post_time  TEXT    NOT NULL,              -- 'HH:MM', the member's local wall time
    timezone   TEXT    NOT NULL,
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (guild_id, user_id)
) STRICT;

-- One row per prompt sent (the week is named by the local date of the prompt).
CREATE TABLE accountability_weeks (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES accountability_subscriptions (id) ON DELETE CASCADE,
    week_of         TEXT    NOT NULL,
    prompted_at     INTEGER NOT NULL,
    delivered_via   TEXT    CHECK (delivered_via IN ('dm', 'thread')),
    thread_id       INTEGER,
    goals_set_at    INTEGER,
    reflection      TEXT    CHECK (length(reflection) <= 300),  -- about the week before
    reviewed_at     INTEGER,
    shared_message_id INTEGER,
    UNIQUE (subscription_id, week_of)
) STRICT;

CREATE TABLE accountability_goals (
    week_id  INTEGER NOT NULL REFERENCES accountability_weeks (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
    text     TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    review   TEXT    CHECK (review IN ('done', 'partly', 'not_yet')),
    PRIMARY KEY (week_id, position)
) STRICT;
