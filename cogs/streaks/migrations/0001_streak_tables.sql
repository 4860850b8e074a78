-- Daily check-ins and streaks (/checkin, /streak). Local dates are TEXT 'YYYY-MM-DD' in the
-- member's zone at the time; instants are INTEGER unix seconds (UTC).

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

-- Looked up and stored only by its natural key (server, member, local date): WITHOUT ROWID keeps
-- each row in that key's b-tree, about a third fewer bytes per check-in (benchmarks/README.md).
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
) STRICT, WITHOUT ROWID;

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
    -- Set by /streak resume: the pause ended early, on this day (a day that was paused at any
    -- moment is never a missed day); without it, a pause ending today runs until midnight.
    resumed_on TEXT,
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
