-- Scheduled runs that survive failures: a run is claimed as it starts, retried inside its grace
-- window, and re-sent after a crash with the same nonce.
--
-- job_runs gains two statuses, so it is rebuilt (SQLite cannot alter a CHECK constraint):
--   'claimed'  the run's work is in flight (or was, when the process died)
--   'pending'  it will be tried again at retry_at (a passing Discord error, an unavailable
--              server, a stop in the middle of it, or a crash inside the nonce window)
-- plus the number of attempts made and the instant of the last one.

CREATE TABLE job_runs_new (
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

INSERT INTO job_runs_new (kind, key, occurrence, status, due_at, claimed_at, finished_at, detail,
                          attempts, retry_at)
SELECT kind, key, occurrence, status, due_at, claimed_at, finished_at, detail,
       CASE WHEN status = 'claimed' THEN 1 ELSE 0 END, NULL
FROM job_runs;

DROP TABLE job_runs;
ALTER TABLE job_runs_new RENAME TO job_runs;

-- The start-up sweep ('claimed') and the retry queue ('pending' by retry_at) go by status.
CREATE INDEX job_runs_open ON job_runs (status, retry_at);
-- Pruning run history after the retention period.
CREATE INDEX job_runs_finished ON job_runs (finished_at) WHERE finished_at IS NOT NULL;

-- A member's DM channel with the bot never changes; keeping its id makes a morning DM one
-- request (send) instead of two (open the DM, then send). It identifies nothing the user id
-- in the same row does not already.
ALTER TABLE affirmation_dm_subscriptions ADD COLUMN dm_channel_id INTEGER;

-- The per-day post log is pruned by date after the retention period.
CREATE INDEX affirmation_posts_by_date ON affirmation_posts (posted_at);
