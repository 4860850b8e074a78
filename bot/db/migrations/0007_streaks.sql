-- Member time zones (/timezone), daily check-ins and streaks (/checkin, /streak), and weekly
-- accountability check-ins (/accountability). Local dates are TEXT 'YYYY-MM-DD' in the member's
-- zone at the time; instants are INTEGER unix seconds (UTC).

-- One row per member, for the whole bot. More per-member settings may join later.
CREATE TABLE member_settings (
    user_id    INTEGER PRIMARY KEY,
    timezone   TEXT,                          -- IANA name; NULL = use the server's default
    updated_at INTEGER NOT NULL
) STRICT;

-- Per server: where milestones and shared summaries go.
CREATE TABLE streak_guild_settings (
    guild_id                  INTEGER PRIMARY KEY,
    accountability_channel_id INTEGER,
    updated_at                INTEGER NOT NULL
) STRICT;

-- A member's streak in one server: their choices and the bookkeeping the arithmetic needs.
CREATE TABLE streak_profiles (
    guild_id            INTEGER NOT NULL,
    user_id             INTEGER NOT NULL,
    celebrate           INTEGER NOT NULL DEFAULT 0 CHECK (celebrate IN (0, 1)),
    leaderboard         INTEGER NOT NULL DEFAULT 0 CHECK (leaderboard IN (0, 1)),
    zone                TEXT    NOT NULL,     -- the zone their days were last counted in
    freeze_told_through TEXT,                 -- the last frozen date they were told about
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE TABLE streak_checkins (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    local_date   TEXT    NOT NULL,
    applications INTEGER CHECK (applications BETWEEN 0 AND 100),
    networking   INTEGER CHECK (networking BETWEEN 0 AND 100),
    skills       INTEGER CHECK (skills BETWEEN 0 AND 100),
    note         TEXT    CHECK (length(note) <= 500),
    timezone     TEXT    NOT NULL,            -- the zone the date was read in
    backfilled   INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
) STRICT;

-- Rest weekdays from a date on (bit 0 = Monday); a change never rewrites the past.
CREATE TABLE streak_rest_rules (
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    effective_from TEXT    NOT NULL,
    days_mask      INTEGER NOT NULL CHECK (days_mask BETWEEN 0 AND 127),
    PRIMARY KEY (guild_id, user_id, effective_from)
) STRICT;

CREATE TABLE streak_pauses (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    start_date TEXT    NOT NULL,
    end_date   TEXT    NOT NULL,              -- inclusive; the pause ends by itself after it
    created_at INTEGER NOT NULL,
    CHECK (end_date >= start_date)
) STRICT;
CREATE INDEX streak_pauses_member ON streak_pauses (guild_id, user_id);

-- Dates a time-zone change jumped over (moving east): neutral, like rest days.
CREATE TABLE streak_travel_days (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    local_date TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
) STRICT;

-- Milestones announced, once per streak (identified by its first day).
CREATE TABLE streak_celebrations (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    run_start  TEXT    NOT NULL,
    milestone  INTEGER NOT NULL,
    message_id INTEGER,
    posted_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, run_start, milestone)
) STRICT;

-- Weekly accountability: one subscription per member per server.
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
