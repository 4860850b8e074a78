-- Peer encouragement: a thread per posted story, kind words, me-toos, every Encourage and reply
-- submitted, author digests and the weekly roundup. Stories are referenced by their opaque
-- story id only. No member id is stored in clear: encouragers and me-toos are keyed pseudonyms
-- (bot/anonymity.py, scope "encouragement:<guild id>"); a story's author is known only to the
-- stories feature, which this one asks when it must.

-- One row per posted story that has (or is getting) its encouragement thread.
CREATE TABLE encouragement_stories (
    story_id        INTEGER PRIMARY KEY,   -- stories.id
    public_id       TEXT    NOT NULL UNIQUE, -- stories.public_id: the opaque id in custom_ids
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,      -- the stories channel (text or forum)
    message_id      INTEGER NOT NULL,      -- the story post (forum: the post's starter message)
    thread_id       INTEGER,               -- the thread (forum: the post itself); NULL until made
    label           TEXT    NOT NULL,      -- "Story #42"
    stage           TEXT,                  -- "Onsite"
    posted_at       INTEGER NOT NULL,
    digest_sent_at  INTEGER,               -- the last author digest for this story
    digest_muted    INTEGER NOT NULL DEFAULT 0 CHECK (digest_muted IN (0, 1))
                                           -- the author turned digests off in /mystories
) STRICT;
CREATE UNIQUE INDEX encouragement_stories_thread ON encouragement_stories (thread_id);
CREATE INDEX encouragement_stories_guild ON encouragement_stories (guild_id, posted_at);

-- Kind words posted through the Encourage button. `body` is kept until the author's digest has
-- carried it (or never, when the author did not opt in), then cleared.
CREATE TABLE encouragements (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES encouragement_stories (story_id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    pseudonym   TEXT    NOT NULL,          -- the encourager, keyed
    anonymous   INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    signature   TEXT,                      -- the display name shown, NULL when anonymous
    body        TEXT,                      -- NULL once digested
    message_id  INTEGER,                   -- the message in the thread
    created_at  INTEGER NOT NULL,
    digested_at INTEGER
) STRICT;
CREATE INDEX encouragements_story ON encouragements (story_id, created_at);
CREATE INDEX encouragements_guild ON encouragements (guild_id, created_at);
CREATE INDEX encouragements_pseudonym ON encouragements (pseudonym);

-- "Me too": one row per (story, member), the member as a keyed pseudonym. Nobody sees who.
CREATE TABLE encouragement_me_too (
    story_id   INTEGER NOT NULL REFERENCES encouragement_stories (story_id) ON DELETE CASCADE,
    pseudonym  TEXT    NOT NULL,
    guild_id   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, pseudonym)
) STRICT;
CREATE INDEX encouragement_me_too_guild ON encouragement_me_too (guild_id, created_at);
CREATE INDEX encouragement_me_too_pseudonym ON encouragement_me_too (pseudonym);

-- Per-server settings of this feature.
CREATE TABLE encouragement_settings (
    guild_id        INTEGER PRIMARY KEY,
    roundup_enabled INTEGER NOT NULL DEFAULT 1 CHECK (roundup_enabled IN (0, 1)),
    updated_at      INTEGER NOT NULL
) STRICT;

-- What each weekly roundup counted (one row per server and ISO week), so a restart or a second
-- look never posts or counts a week twice.
CREATE TABLE encouragement_roundups (
    guild_id       INTEGER NOT NULL,
    week           TEXT    NOT NULL,       -- ISO week "2026-W10"
    stories        INTEGER NOT NULL,
    encouragements INTEGER NOT NULL,
    me_toos        INTEGER NOT NULL,
    message_id     INTEGER,
    posted_at      INTEGER NOT NULL,
    PRIMARY KEY (guild_id, week)
) STRICT;

-- Every Encourage and OP reply a member submits, recorded before it is sent.
--
-- One submission is one row, keyed by a random token made when the form opened: the token is the
-- send's nonce, so a retry of an unconfirmed send (Discord stored it, then answered 5xx) cannot
-- post twice. The rows of the last hour are also what the Encourage limits count (per member and
-- story, per member overall), checked and inserted in one transaction so a burst cannot pass.
-- The member is a keyed pseudonym (scope "encouragement:<guild id>"), never an id in clear.
CREATE TABLE encouragement_sends (
    token      TEXT    PRIMARY KEY,       -- random, opaque; the nonce of the send
    story_id   INTEGER NOT NULL REFERENCES encouragement_stories (story_id) ON DELETE CASCADE,
    guild_id   INTEGER NOT NULL,
    pseudonym  TEXT    NOT NULL,          -- the member, keyed
    kind       TEXT    NOT NULL CHECK (kind IN ('encourage', 'reply')),
    signature  TEXT,                      -- the name an encouragement was signed with; NULL: "a member"
    words      TEXT,                      -- the text, kept only until Discord confirmed the post
    same_as    TEXT    NOT NULL,          -- SHA-256 of kind, signature and text: the same words
                                          -- sent again within the hour (a new form after a
                                          -- crash ate the answer) are the same submission
    message_id INTEGER,                   -- the post in the thread, once confirmed
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX encouragement_sends_member ON encouragement_sends (guild_id, pseudonym, created_at);
CREATE INDEX encouragement_sends_story ON encouragement_sends (story_id, pseudonym, same_as);
