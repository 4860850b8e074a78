-- Durable events (bot/events.py): what a feature recorded as happened, in the transaction of its
-- own record (a story's "posted"). Each subscriber runs from it as a scheduled job; the job's
-- runs read the event here (a retried run no longer has its one-shot job's rule). Only ids and
-- labels, never a member id or text. Pruned with the run history.
CREATE TABLE events (
    name        TEXT    NOT NULL,          -- "stories.posted"
    key         TEXT    NOT NULL,          -- what it is about (a story's opaque public id)
    occurrence  TEXT    NOT NULL,          -- "1", or a later repeat's label
    data        TEXT    NOT NULL,          -- JSON
    at          INTEGER NOT NULL,          -- when it was emitted (epoch s)
    PRIMARY KEY (name, key, occurrence)
) STRICT;
CREATE INDEX events_at ON events (at);
