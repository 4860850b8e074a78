-- /debrief: a member's private interview debriefs, their feedback reminders and their settings.
-- No member id in clear anywhere: `owner` is a keyed pseudonym of the member that is the same in
-- every server and in DMs (one journal); every word they typed is in `sealed`, encrypted with a
-- key derived from the bot's secret key and the member (cogs/debrief/sealing.py).

CREATE TABLE debrief_entries (
    entry_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    -- the member's debriefs in the order written (1, 2, ...): "newest first" needs no clock
    seq INTEGER NOT NULL,
    sealed TEXT NOT NULL,
    -- when the member first drafted a feedback request from it (counted once per debrief)
    feedback_asked_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX debrief_entries_by_owner ON debrief_entries (owner, seq);

-- One reminder per debrief; its id is the engine job's key (kind 'debrief.reminder'). The DM
-- needs the member: `sealed_member` is their id sealed with the bot's key for this reminder.
CREATE TABLE debrief_reminders (
    reminder_id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    sealed_member TEXT NOT NULL,
    days INTEGER NOT NULL,
    local_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('waiting', 'sent', 'heard', 'no_answer', 'stopped', 'undelivered')),
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX debrief_reminders_by_owner ON debrief_reminders (owner);

-- A member's counts (kept when a debrief is deleted), whether they join their own /streak
-- show, and a notice to give at their next command (a reminder DM could not be delivered).
CREATE TABLE debrief_members (
    owner TEXT PRIMARY KEY,
    feedback_asked INTEGER NOT NULL DEFAULT 0,
    answers_received INTEGER NOT NULL DEFAULT 0,
    in_streak INTEGER NOT NULL DEFAULT 0,
    notice_pending INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
) STRICT;
