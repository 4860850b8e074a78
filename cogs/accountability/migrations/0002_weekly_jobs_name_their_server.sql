-- Weekly check-ins put before jobs recorded their server (core migration 0018) get it from
-- their subscription, so a fleet's process of the server's shard claims them first (work of a
-- server that says none is anyone's). New and changed ones record it when they are put.
UPDATE scheduled_jobs SET guild_id = (
    SELECT s.guild_id FROM accountability_subscriptions s
    WHERE CAST(s.id AS TEXT) = scheduled_jobs.key
) WHERE kind = 'accountability.weekly' AND guild_id IS NULL;
