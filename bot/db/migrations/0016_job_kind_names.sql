-- Job kinds are named "feature.what" ("affirmations.guild", "encouragement.digest"); the story
-- post's was "story_post". Schedules and their runs move to the new name together, runs in
-- flight included: their nonces are still made from the old name (bot.scheduling.model's
-- NONCE_KIND), so a run claimed before the upgrade and sent again after it carries the same
-- nonce and Discord returns the first message instead of posting twice.
UPDATE scheduled_jobs SET kind = 'stories.post' WHERE kind = 'story_post';
UPDATE job_runs SET kind = 'stories.post' WHERE kind = 'story_post';
