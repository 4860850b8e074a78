-- Every server the bot has been in, and when it left one. A server the bot left keeps its data
-- until purge_at (left_at + REBOUND_GUILD_RETENTION_DAYS), in case the bot is invited back;
-- then every feature deletes that server's data (a job keyed by the server).
-- A server that is still here has left_at and purge_at NULL.
CREATE TABLE server_presence (
    guild_id  INTEGER PRIMARY KEY,
    joined_at INTEGER NOT NULL,
    left_at   INTEGER,
    purge_at  INTEGER,
    CHECK ((left_at IS NULL) = (purge_at IS NULL))
) STRICT;
