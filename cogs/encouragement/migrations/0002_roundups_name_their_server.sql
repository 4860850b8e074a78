-- Weekly roundups put before jobs recorded their server (core migration 0018) get it now from
-- their key (a roundup's key is its server's id): a fleet's process of the server's shard
-- claims the first one after the upgrade too. BIGINT: a server id needs 64 bits on PostgreSQL.
UPDATE scheduled_jobs SET guild_id = CAST(key AS BIGINT)
WHERE kind = 'encouragement.roundup' AND guild_id IS NULL;
