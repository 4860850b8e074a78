-- The core's tables for a new database, as migrations 0001-0017 leave them (less the features'
-- tables: each feature creates its own, cogs/<feature>/migrations). A database made before
-- keeps going through bot/db/migrations; both end with the same schema
-- (tests/core/test_feature_tables.py). Instants are INTEGER unix seconds in UTC; local dates
-- are TEXT 'YYYY-MM-DD'.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per active schedule. A feature owns `rule` (JSON it alone interprets) and the
-- scheduler keeps `next_run_at`/`occurrence` for the next due run. No row = not scheduled.
CREATE TABLE scheduled_jobs (
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    rule        TEXT    NOT NULL,
    next_run_at INTEGER NOT NULL,
    occurrence  TEXT    NOT NULL,
    PRIMARY KEY (kind, key)
) STRICT;
-- The claim reads due jobs in (next_run_at, kind, key) order, a few at a time.
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (next_run_at, kind, key);

-- Every occurrence ever claimed. The primary key is what makes a run happen at most once:
-- claiming is an INSERT that a second claimer (overlapping tick, restart, repeated DST hour)
-- cannot repeat. 'claimed': in flight (or was, when the process died); 'pending': tried again
-- at retry_at.
CREATE TABLE job_runs (
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    occurrence  TEXT    NOT NULL,
    status      TEXT    NOT NULL
                CHECK (status IN ('claimed', 'pending', 'done', 'failed', 'missed', 'skipped',
                                  'interrupted')),
    due_at      INTEGER NOT NULL,
    claimed_at  INTEGER NOT NULL,
    finished_at INTEGER,
    detail      TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    retry_at    INTEGER,
    PRIMARY KEY (kind, key, occurrence)
) STRICT;
-- The start-up sweep ('claimed') and the retry queue ('pending' by retry_at) go by status.
CREATE INDEX job_runs_open ON job_runs (status, retry_at);
-- Pruning run history after the retention period.
CREATE INDEX job_runs_finished ON job_runs (finished_at) WHERE finished_at IS NOT NULL;

-- Durable events: what a feature recorded as happened, in the transaction of its own record.
-- Each subscriber runs from it as a scheduled job. Only ids and labels, never a member id in
-- clear or text. Pruned with the run history.
CREATE TABLE events (
    name        TEXT    NOT NULL,          -- "stories.posted"
    key         TEXT    NOT NULL,          -- what it is about (an opaque id)
    occurrence  TEXT    NOT NULL,          -- "1", or a later repeat's label
    data        TEXT    NOT NULL,          -- JSON
    at          INTEGER NOT NULL,          -- when it was emitted (epoch s)
    PRIMARY KEY (name, key, occurrence)
) STRICT;
CREATE INDEX events_at ON events (at);

-- Per-server settings several features read.
CREATE TABLE guild_settings (
    guild_id           INTEGER PRIMARY KEY,
    notices_channel_id INTEGER,           -- where admin notices go; NULL: owner DM, else system channel
    default_timezone   TEXT,              -- canonical IANA name, e.g. 'Europe/Berlin'; NULL: not set
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    accountability_channel_id INTEGER,    -- streak milestones and weekly check-ins
    -- The channel Discord (or the cache) showed unusable; no post is tried there, and the
    -- admins were told once, until someone picks a channel again.
    accountability_broken_channel_id INTEGER
) STRICT;

-- One row per member, for the whole bot.
CREATE TABLE member_settings (
    user_id    INTEGER PRIMARY KEY,
    timezone   TEXT,                          -- IANA name; NULL = use the server's default
    updated_at INTEGER NOT NULL
) STRICT;
