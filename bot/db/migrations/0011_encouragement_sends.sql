-- Every Encourage and OP reply a member submits, recorded before it is sent (cogs/encouragement).
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
