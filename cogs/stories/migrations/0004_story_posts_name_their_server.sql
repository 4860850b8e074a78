-- Story posts waiting since before jobs recorded their server (core migration 0018) get it from
-- their story (a post's key is the story's public id), so a fleet's process of the server's
-- shard claims them first. Updates (0002) always recorded theirs.
UPDATE scheduled_jobs SET guild_id = (
    SELECT s.guild_id FROM stories s WHERE s.public_id = scheduled_jobs.key
) WHERE kind = 'stories.post' AND guild_id IS NULL;
