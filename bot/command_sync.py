"""Application commands are synced once, by one process, and only when they changed.

The last synced command set's hash and the ids Discord gave the commands are in `meta`
(``commands_hash:<app>:<scope>``, ``commands_ids:<app>:<scope>``). A start whose payload hashes
the same reads the ids and syncs nothing. Otherwise the process first claims the sync of that
hash: a `meta` row ``commands_sync:<app>:<scope>:<hash>`` whose value is when the claim lapses
(unix seconds), taken by a unique insert (or over a lapsed claim, whose process died mid-sync).
Exactly one process of a fleet wins it, whichever shards it serves (no process has to hold
shard 0); the others wait for the ids it records. On one process the claim is always won.
"""

from __future__ import annotations

import asyncio
import json
import logging

from bot.clock import Clock
from bot.db import Connection, Store
from bot.scheduling.model import to_epoch

log = logging.getLogger(__name__)

#: How long a claim to sync holds: longer than a sync takes, short enough that a process that
#: died while syncing is replaced by the next start of any process.
CLAIM_SECONDS = 300
#: How often a process that did not sync looks for the ids the syncing one recorded.
POLL_SECONDS = 1.0

_UPSERT = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
_CLAIM = (
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
    "value = excluded.value WHERE CAST(meta.value AS BIGINT) <= ?"
)


class CommandSync:
    """The sync's records for one application and scope ("global" or "guild:<id>")."""

    def __init__(self, store: Store, clock: Clock, application_id: int | None, scope: str):
        self._store = store
        self._clock = clock
        self._hash_key = f"commands_hash:{application_id}:{scope}"
        self._ids_key = f"commands_ids:{application_id}:{scope}"
        self._claim_prefix = f"commands_sync:{application_id}:{scope}:"

    async def synced_hash(self) -> str | None:
        row = await self._store.fetchone("SELECT value FROM meta WHERE key = ?", (self._hash_key,))
        return str(row["value"]) if row is not None else None

    async def recorded_ids(self) -> dict[str, int]:
        """The command ids the syncing process recorded (for clickable mentions)."""
        row = await self._store.fetchone("SELECT value FROM meta WHERE key = ?", (self._ids_key,))
        return {k: int(v) for k, v in json.loads(row["value"]).items()} if row else {}

    async def claim(self, digest: str) -> bool:
        """Whether this process syncs the command set `digest` (exactly one process does)."""
        now = to_epoch(self._clock.now())

        async def take(conn: Connection) -> bool:
            cursor = await conn.execute(
                _CLAIM, (self._claim_prefix + digest, str(now + CLAIM_SECONDS), now)
            )
            return bool(cursor.rowcount == 1)

        return await self._store.run(take)

    async def give_up(self, digest: str) -> None:
        """The sync failed: the next start (of any process) may claim it at once."""
        await self._store.execute("DELETE FROM meta WHERE key = ?", (self._claim_prefix + digest,))

    async def record(self, digest: str, ids: dict[str, int]) -> None:
        """The sync of `digest` succeeded: its hash and ids; earlier claims are dropped."""

        async def write(conn: Connection) -> None:
            await conn.execute(_UPSERT, (self._hash_key, digest))
            await conn.execute(_UPSERT, (self._ids_key, json.dumps(ids)))
            await conn.execute(
                "DELETE FROM meta WHERE key LIKE ? AND key <> ?",
                (self._claim_prefix + "%", self._claim_prefix + digest),
            )

        await self._store.run(write)

    async def wait_for(self, digest: str) -> dict[str, int]:
        """The ids, once the process that claimed the sync of `digest` recorded them (or
        whatever is recorded when its claim lapses)."""
        for _ in range(round(CLAIM_SECONDS / POLL_SECONDS)):
            if await self.synced_hash() == digest:
                break
            await asyncio.sleep(POLL_SECONDS)
        return await self.recorded_ids()
