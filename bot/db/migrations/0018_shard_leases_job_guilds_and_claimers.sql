-- A fleet of processes on one database (bot/fleet): each holds a lease per shard it serves,
-- renewed every third of the lease. A lease whose expires_at has passed is free: its process
-- is gone, and the others take its servers' due work. Shard -1 is the whole bot: a single
-- process on PostgreSQL holds it (there the leases replace the data folder's lock file).
-- `holder` says which process (host, pid and a random start token), never anything of people.
CREATE TABLE shard_leases (
    shard       INTEGER NOT NULL PRIMARY KEY,
    shard_count INTEGER NOT NULL,
    holder      TEXT    NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

-- The server a schedule's work belongs to, when it has one (its shard's process claims it
-- first); NULL for work of no server (member DMs, the privacy purge), which any process takes.
-- Filled by the handler's `guild_of` when the job is put or next claimed.
ALTER TABLE scheduled_jobs ADD COLUMN guild_id INTEGER;

-- The fleet process that claimed a run (its lease holder): when that process is gone, the
-- others send again what it left claimed (with the run's nonce). NULL: one process.
ALTER TABLE job_runs ADD COLUMN claimed_by TEXT;
