-- Core tables: key/value metadata and the scheduler's due work.
-- Instants are INTEGER unix seconds in UTC; local dates are TEXT 'YYYY-MM-DD'.

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
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (next_run_at);

-- Every occurrence ever claimed. The primary key is what makes a run happen at most once:
-- claiming is an INSERT that a second claimer (overlapping tick, restart, repeated DST hour)
-- cannot repeat.
CREATE TABLE job_runs (
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    occurrence  TEXT    NOT NULL,
    status      TEXT    NOT NULL
                CHECK (status IN ('claimed', 'done', 'failed', 'missed', 'skipped', 'interrupted')),
    due_at      INTEGER NOT NULL,
    claimed_at  INTEGER NOT NULL,
    finished_at INTEGER,
    detail      TEXT,
    PRIMARY KEY (kind, key, occurrence)
) STRICT;
