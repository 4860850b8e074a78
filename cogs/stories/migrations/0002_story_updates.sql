-- The comeback: an author's updates to their own story, who follows a story for them, and
-- reports of an update.
--
-- The author of an update is stored as the story's: `author`, the keyed pseudonym of scope
-- "stories:<guild>" (never the id). A follower is a keyed pseudonym of its own scope
-- ("story-follow:<guild>") and their member id sealed (AES-GCM, random nonce, context
-- "story-follow:<guild>:<story public id>"), as the digest's opt-in is. Everything goes with
-- its story (ON DELETE CASCADE). Instants are INTEGER unix seconds (UTC).

CREATE TABLE story_updates (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT    NOT NULL UNIQUE,        -- opaque; the only id in custom_ids
    story_id         INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    guild_id         INTEGER NOT NULL,
    author           TEXT    NOT NULL,               -- the story's keyed pseudonym
    status           TEXT    NOT NULL CHECK (status IN
                     ('draft', 'scheduled', 'pending', 'posted', 'rejected', 'removed', 'failed')),
    kind             TEXT    NOT NULL,
    body             TEXT    NOT NULL,               -- as typed; sanitised when shown
    card             INTEGER NOT NULL DEFAULT 1 CHECK (card IN (0, 1)),
    crisis           INTEGER NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1)),
    submission_key   TEXT,                           -- digest of the form's id (one form, one update)
    created_at       INTEGER NOT NULL,
    submitted_at     INTEGER,
    posted_at        INTEGER,
    thread_id        INTEGER,                        -- where the update was posted
    message_id       INTEGER,
    card_channel_id  INTEGER,                        -- the short card in a text stories channel
    card_message_id  INTEGER,
    queue_channel_id INTEGER,
    queue_message_id INTEGER,
    followers_told   INTEGER NOT NULL DEFAULT 0 CHECK (followers_told IN (0, 1))
) STRICT;
CREATE INDEX story_updates_by_story ON story_updates (story_id);
CREATE INDEX story_updates_by_author ON story_updates (guild_id, author);

CREATE TABLE story_followers (
    id         INTEGER PRIMARY KEY,
    story_id   INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    guild_id   INTEGER NOT NULL,
    follower   TEXT    NOT NULL,                     -- keyed pseudonym ("story-follow:<guild>")
    sealed     TEXT    NOT NULL,                     -- the member id, sealed, to DM them
    created_at INTEGER NOT NULL,
    UNIQUE (story_id, follower)
) STRICT;

-- Reports of an update; the reporter is the stories' reporter pseudonym, kept only so one
-- member cannot report the same update twice.
CREATE TABLE story_update_reports (
    id               INTEGER PRIMARY KEY,
    update_id        INTEGER NOT NULL REFERENCES story_updates (id) ON DELETE CASCADE,
    reporter         TEXT    NOT NULL,
    reason           TEXT,
    status           TEXT    NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'dismissed', 'removed')),
    created_at       INTEGER NOT NULL,
    queue_channel_id INTEGER,
    queue_message_id INTEGER,
    UNIQUE (update_id, reporter)
) STRICT;
