-- Stories: one form is one story, a story goes out only once its "thank you" reached the
-- member, and an unusable stories channel is reported to the admins once.

-- A digest of the form's id (the modal the member filled in): a second delivery of the same
-- form finds the story it already made. Not a member id; NULL for stories from a button.
ALTER TABLE stories ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX stories_by_submission ON stories (guild_id, submission_key);

-- For a draft (status 'draft'): 'awaiting' while the member's acknowledgement is on its way
-- (the story counts towards their limits and is not scheduled yet); 'unconfirmed' when it
-- never reached them (Discord refused it, or the bot stopped in between): their next /share
-- offers it back. NULL otherwise.
ALTER TABLE stories ADD COLUMN ack_state TEXT CHECK (ack_state IN ('awaiting', 'unconfirmed'));

-- The stories or moderators' channel last found gone or closed to the bot when a member tried
-- to share; the admins were told once about it.
ALTER TABLE story_settings ADD COLUMN broken_channel_id INTEGER;
