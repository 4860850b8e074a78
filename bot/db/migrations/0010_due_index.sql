-- The claim reads due jobs in (next_run_at, kind, key) order, LIMIT a few, many times a morning.
-- With an index on next_run_at alone, the 10,000 jobs due at the same instant were sorted again
-- for every claim (~1.5 ms each on SQLite's thread); this index returns them in order.
DROP INDEX scheduled_jobs_due;
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (next_run_at, kind, key);
