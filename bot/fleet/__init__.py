"""A fleet: several `python -m bot run --shards …` processes on one PostgreSQL database.

Each process serves the gateway events and interactions of its own shards (Discord's rule:
a server's shard is ``(guild_id >> 22) % shard_count``). It holds a lease per shard in the
database (`leases.py`), renewed every third of the lease; the scheduled work of its servers is
claimed by it first, and that of a shard whose lease expired by any live process
(bot/scheduling/scope.py and claiming.py); commands are synced by the one process that claims
the sync (bot/command_sync.py). What a fleet refuses to start with is in `start.py`;
`shards.py` is the pure arithmetic.
"""
