-- Per-server settings every feature reads (guild_settings), and per-server numbering of a
-- server's own affirmations (numbers are never handed out twice, so a removed one cannot take
-- a new one's place in the deck).

CREATE TABLE guild_settings (
    guild_id           INTEGER PRIMARY KEY,
    notices_channel_id INTEGER,           -- where admin notices go; NULL: owner DM, else system channel
    default_timezone   TEXT,              -- canonical IANA name, e.g. 'Europe/Berlin'; NULL: not set
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;

-- The last number given to a server's own affirmation. Only ever goes up.
CREATE TABLE affirmation_custom_numbers (
    guild_id    INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT;

ALTER TABLE affirmation_custom ADD COLUMN number INTEGER;

-- Existing affirmations are numbered 1, 2, 3 … per server in the order they were added.
UPDATE affirmation_custom SET number = (
    SELECT COUNT(*) FROM affirmation_custom AS earlier
    WHERE earlier.guild_id = affirmation_custom.guild_id AND earlier.id <= affirmation_custom.id
);

INSERT INTO affirmation_custom_numbers (guild_id, last_number)
SELECT guild_id, MAX(number) FROM affirmation_custom GROUP BY guild_id;

CREATE UNIQUE INDEX affirmation_custom_number ON affirmation_custom (guild_id, number);
