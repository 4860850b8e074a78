-- Until when a fleet process promised to pace at the small part of its share it keeps while it
-- has nothing to send (unix seconds; 0: no promise). The busy processes read it and borrow the
-- rest until shortly before that instant (bot/fleet/budget.py).
ALTER TABLE shard_leases ADD COLUMN idle_until INTEGER NOT NULL DEFAULT 0;
