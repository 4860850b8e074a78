-- A pause ended early with /streak resume keeps the day it was ended on: a day that was paused
-- at any moment is never a missed day. The row then ends on that day, and `resumed_on` says the
-- pause is over (without it, a pause ending today is still running until midnight).
ALTER TABLE streak_pauses ADD COLUMN resumed_on TEXT;
