-- A moderator's optional note when an update is not approved, as a story's rejection has one
-- (stories.decision_note): shown to the author in /mystories, and by DM if they turned that on.
ALTER TABLE story_updates ADD COLUMN decision_note TEXT;
