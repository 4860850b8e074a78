-- Daily affirmations: per-server schedules, decks, the server's own affirmations, posts made,
-- and members' personal DM subscriptions. Times of day are local wall times with an IANA zone;
-- instants are INTEGER unix seconds (UTC).

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

-- A server's own affirmations. Who added one is not kept: it is not needed.
CREATE TABLE affirmation_custom (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    normalized TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (guild_id, normalized)
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

-- Members who asked for a personal affirmation by DM. No DM channel id is stored.
CREATE TABLE affirmation_dm_subscriptions (
    user_id        INTEGER PRIMARY KEY,
    post_time      TEXT    NOT NULL,
    timezone       TEXT    NOT NULL,
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    stopped_reason TEXT CHECK (stopped_reason IN ('by_member', 'dms_closed')),
    notice_pending INTEGER NOT NULL DEFAULT 0 CHECK (notice_pending IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
