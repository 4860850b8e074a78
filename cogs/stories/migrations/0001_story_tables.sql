-- Anonymous stories: per-server settings, the stories, blocks and reports.
--
-- The author of a story is stored only as (a) `author`, a keyed pseudonym: HMAC-SHA256 over
-- (server, member) with the bot's secret key, and (b) `sealed_author`, the member id sealed
-- with AES-GCM and a random nonce, kept only when the author asked for DMs about the story.
-- Nothing else about the author is stored. Instants are INTEGER unix seconds (UTC).

CREATE TABLE story_settings (
    guild_id          INTEGER PRIMARY KEY,
    channel_id        INTEGER,                       -- text or forum channel; NULL = not set up
    mod_channel_id    INTEGER,                       -- approval queue and reports
    approval          INTEGER NOT NULL DEFAULT 0 CHECK (approval IN (0, 1)),
    links_allowed     INTEGER NOT NULL DEFAULT 0 CHECK (links_allowed IN (0, 1)),
    max_delay_seconds INTEGER NOT NULL DEFAULT 90 CHECK (max_delay_seconds BETWEEN 0 AND 900),
    cooldown_minutes  INTEGER NOT NULL DEFAULT 30 CHECK (cooldown_minutes BETWEEN 0 AND 1440),
    daily_limit       INTEGER NOT NULL DEFAULT 3 CHECK (daily_limit BETWEEN 1 AND 20),
    crisis_policy     TEXT    NOT NULL DEFAULT 'post' CHECK (crisis_policy IN ('post', 'hold')),
    crisis_words      TEXT    NOT NULL DEFAULT '[]', -- JSON list: the server's own phrases
    crisis_note       TEXT,                          -- one line of the server's own support
    last_number       INTEGER NOT NULL DEFAULT 0,    -- the last "Story #N" label used
    updated_at        INTEGER NOT NULL,
    -- The stories or moderators' channel last found gone or closed to the bot when a member
    -- tried to share; the admins were told once about it.
    broken_channel_id INTEGER
) STRICT;

CREATE TABLE stories (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT    NOT NULL UNIQUE,        -- opaque; the only id in custom_ids
    guild_id         INTEGER NOT NULL,
    author           TEXT    NOT NULL,               -- keyed pseudonym (hex HMAC)
    sealed_author    TEXT,                           -- AES-GCM token; only with DM opt-in
    status           TEXT    NOT NULL CHECK (status IN
                     ('draft', 'scheduled', 'pending', 'posted', 'rejected', 'removed', 'failed')),
    body             TEXT    NOT NULL,               -- as typed; sanitised when shown
    stage            TEXT    NOT NULL,
    takeaway         TEXT,
    help             TEXT,
    watch_terms      TEXT,                           -- draft only: names to keep out; cleared
    crisis           INTEGER NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1)),
    number           INTEGER,                        -- "Story #N", given when first posted
    created_at       INTEGER NOT NULL,
    submitted_at     INTEGER,
    due_at           INTEGER,
    posted_at        INTEGER,
    channel_id       INTEGER,
    message_id       INTEGER,                        -- the post (a forum post's starter message)
    thread_id        INTEGER,                        -- the forum post, or a thread on the post
    queue_channel_id INTEGER,
    queue_message_id INTEGER,
    decision_note    TEXT,                           -- a moderator's optional reason
    -- A digest of the form's id (the modal the member filled in): a second delivery of the
    -- same form finds the story it already made. Not a member id; NULL for stories from a button.
    submission_key   TEXT,
    -- For a draft: 'awaiting' while the member's acknowledgement is on its way (the story counts
    -- towards their limits and is not scheduled yet); 'unconfirmed' when it never reached them:
    -- their next /share offers it back. NULL otherwise.
    ack_state        TEXT CHECK (ack_state IN ('awaiting', 'unconfirmed')),
    UNIQUE (guild_id, number)
) STRICT;
CREATE INDEX stories_by_author ON stories (guild_id, author, submitted_at);
CREATE INDEX stories_by_message ON stories (message_id);
CREATE UNIQUE INDEX stories_by_submission ON stories (guild_id, submission_key);

-- Blocked authors, by full pseudonym (short forms collide).
CREATE TABLE story_blocks (
    guild_id   INTEGER NOT NULL,
    author     TEXT    NOT NULL,
    blocked_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, author)
) STRICT;

-- Reports of posted stories. The reporter is a pseudonym of its own scope, kept only so one
-- member cannot report the same story twice.
CREATE TABLE story_reports (
    id               INTEGER PRIMARY KEY,
    story_id         INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    reporter         TEXT    NOT NULL,
    reason           TEXT,
    status           TEXT    NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'dismissed', 'removed')),
    created_at       INTEGER NOT NULL,
    queue_channel_id INTEGER,
    queue_message_id INTEGER,
    UNIQUE (story_id, reporter)
) STRICT;
