-- A member's debriefs are numbered from a counter in their row of debrief_members, taken with
-- an upsert ... RETURNING: two saves of one member at the same instant (two processes on
-- PostgreSQL) are ordered by the row's lock instead of both reading the same MAX(seq) and
-- one failing on debrief_entries_by_owner.
ALTER TABLE debrief_members ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;

-- Members who already have debriefs continue after their highest number.
INSERT INTO debrief_members (owner, updated_at, last_seq)
SELECT owner, MAX(updated_at), MAX(seq) FROM debrief_entries WHERE seq > 0 GROUP BY owner
ON CONFLICT (owner) DO UPDATE SET last_seq = excluded.last_seq;
