-- The server a run belongs to, copied from its schedule when it is claimed (NULL: work of no
-- server, such as member DMs). A run waiting for a retry ('pending') has often lost its
-- schedule (a one-shot job's row goes at its claim), so the run keeps its own: a fleet
-- process takes its own servers' retries first and leaves a live neighbour's to it.
ALTER TABLE job_runs ADD COLUMN guild_id INTEGER;
