-- Daily affirmations: per-server schedules, decks, the server's own affirmations and their
-- numbering, posts made, and members' personal DM subscriptions. Times of day are local wall
-- times with an IANA zone; instants are INTEGER unix seconds (UTC).

CREATE TABLE affirmation_schedules (
    guild_id     INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL,
    post_time    TEXT    NOT NULL,                 -- 'HH:MM', local wall time
    timezone     TEXT    NOT NULL,                 -- IANA name, e.g. 'Europe/Berlin'
    days_mask    INTEGER NOT NULL CHECK (days_mask BETWEEN 1 AND 127),  -- bit 0 = Monday
    role_id      INTEGER,                          -- the one role each post may mention
    paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    pause_reason TEXT CHECK (pause_reason IN
                 ('by_admin', 'channel_missing', 'missing_permissions', 'bot_removed')),
    paused_at    INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

-- One shuffle bag per owner: 'guild:<id>' for a server's posts, 'dm:<user id>' for a member's.
CREATE TABLE affirmation_decks (
    owner TEXT PRIMARY KEY,
    deck  TEXT NOT NULL
) STRICT;

-- A server's own affirmations, numbered 1, 2, 3 … per server. Who added one is not kept.
CREATE TABLE affirmation_custom (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    normalized TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    number     INTEGER,
    UNIQUE (guild_id, normalized)
) STRICT;
CREATE UNIQUE INDEX affirmation_custom_number ON affirmation_custom (guild_id, number);

-- The last number given to a server's own affirmation. Only ever goes up, so a removed one
-- cannot take a new one's place in the deck.
CREATE TABLE affirmation_custom_numbers (
    guild_id    INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT;

-- What was posted for each (server, local date): the exactly-once record that /status reads.
CREATE TABLE affirmation_posts (
    guild_id   INTEGER NOT NULL,
    local_date TEXT    NOT NULL,
    item_id    TEXT    NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    posted_at  INTEGER NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('schedule', 'now')),
    PRIMARY KEY (guild_id, local_date)
) STRICT;
-- The per-day post log is pruned by date after the retention period.
CREATE INDEX affirmation_posts_by_date ON affirmation_posts (posted_at);

-- Members who asked for a personal affirmation by DM. A member's DM channel with the bot never
-- changes; keeping its id makes a morning DM one request instead of two, and it identifies
-- nothing the user id in the same row does not already.
CREATE TABLE affirmation_dm_subscriptions (
    user_id        INTEGER PRIMARY KEY,
    post_time      TEXT    NOT NULL,
    timezone       TEXT    NOT NULL,
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    stopped_reason TEXT CHECK (stopped_reason IN ('by_member', 'dms_closed')),
    notice_pending INTEGER NOT NULL DEFAULT 0 CHECK (notice_pending IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    dm_channel_id  INTEGER
) STRICT;
