-- Daily server posts put before jobs recorded their server (core migration 0018) get it now
-- from their key (a server post's key is its server's id), so a fleet's process of the
-- server's shard claims the first morning after the upgrade too, not only the later ones.
-- BIGINT: a server id needs 64 bits on PostgreSQL (SQLite reads it as INTEGER).
UPDATE scheduled_jobs SET guild_id = CAST(key AS BIGINT)
WHERE kind = 'affirmations.guild' AND guild_id IS NULL;
