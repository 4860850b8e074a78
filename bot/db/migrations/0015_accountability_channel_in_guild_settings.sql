-- The accountability channel is a server setting several features read (streak milestones,
-- weekly check-ins and their private threads): it moves from the streaks feature's own table
-- into guild_settings, with the channel that was set aside as unusable.

ALTER TABLE guild_settings ADD COLUMN accountability_channel_id INTEGER;
-- The channel Discord (or the cache) showed unusable; no post is tried there, and the admins
-- were told once, until someone picks a channel again.
ALTER TABLE guild_settings ADD COLUMN accountability_broken_channel_id INTEGER;

INSERT INTO guild_settings (
    guild_id, accountability_channel_id, accountability_broken_channel_id, created_at, updated_at
)
SELECT guild_id, accountability_channel_id, broken_channel_id, updated_at, updated_at
FROM streak_guild_settings WHERE true
ON CONFLICT (guild_id) DO UPDATE SET
    accountability_channel_id = excluded.accountability_channel_id,
    accountability_broken_channel_id = excluded.accountability_broken_channel_id;

DROP TABLE streak_guild_settings;
