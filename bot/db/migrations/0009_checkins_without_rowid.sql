-- streak_checkins is looked up and stored only by its natural key (guild, member, local date).
-- WITHOUT ROWID keeps each row in that key's b-tree instead of a rowid table plus a separate
-- primary-key index: about a third fewer bytes per check-in (benchmarks/README.md, the store).
CREATE TABLE streak_checkins_new (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    local_date   TEXT    NOT NULL,
    applications INTEGER CHECK (applications BETWEEN 0 AND 100),
    networking   INTEGER CHECK (networking BETWEEN 0 AND 100),
    skills       INTEGER CHECK (skills BETWEEN 0 AND 100),
    note         TEXT    CHECK (length(note) <= 500),
    timezone     TEXT    NOT NULL,            -- the zone the date was read in
    backfilled   INTEGER NOT NULL DEFAULT 0 CHECK (backfilled IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
) STRICT, WITHOUT ROWID;

INSERT INTO streak_checkins_new (guild_id, user_id, local_date, applications, networking,
    skills, note, timezone, backfilled, created_at, updated_at)
SELECT guild_id, user_id, local_date, applications, networking, skills, note, timezone,
    backfilled, created_at, updated_at
FROM streak_checkins;

DROP TABLE streak_checkins;
ALTER TABLE streak_checkins_new RENAME TO streak_checkins;
