"""Shard leases: which process of a fleet serves which shard, in the database.

Each process holds one row per shard it serves (`shard_leases`), renewed every third of the
lease; a row whose `expires_at` has passed is free. A single process on PostgreSQL holds the
row of shard -1 (the whole bot): there the leases replace the data folder's lock file, and a
fleet and a single process refuse each other. A process that died on this host (kill -9, a
crash) is recognised by its pid at once, so restarting it does not wait for its lease.

Every statement is portable (SQLite and PostgreSQL): `?` parameters, `ON CONFLICT … DO UPDATE
… WHERE`, instants as INTEGER unix seconds of the injected clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.db import Connection, Store
from bot.fleet import budget as budget_
from bot.fleet.lending import Lending
from bot.fleet.shards import format_shards
from bot.scheduling.model import to_epoch
from bot.scheduling.scope import ClaimScope

log = logging.getLogger(__name__)

#: The longest between two looks at the fleet (renewals): how long a neighbour's pacing may
#: still count a shard this process just took back as orphaned.
REFRESH_SECONDS = 5.0

#: The lease of a single process (every shard): a fleet cannot start beside it, nor it beside one.
WHOLE_BOT = -1


class LeaseRefused(RuntimeError):
    """The process may not serve these shards now; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Lease:
    shard: int
    shard_count: int
    holder: str
    acquired_at: int
    expires_at: int
    #: Until when the holder promised to pace at its kept rate (lends the rest; bot.fleet.budget)
    idle_until: int = 0

    @property
    def host(self) -> str:
        return self.holder.split(":", 1)[0]

    @property
    def pid(self) -> int | None:
        parts = self.holder.split(":")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def make_holder() -> str:
    """``host:pid:token``: which process, and a token so a reused pid is not mistaken for it."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_dead_here(lease: Lease, holder: str) -> bool:
    """A lease of a process on this host that no longer runs: free at once."""
    pid = lease.pid
    if lease.host != holder.split(":", 1)[0] or pid is None or lease.holder == holder:
        return False
    return pid != os.getpid() and not _process_alive(pid)


_SELECT = "SELECT shard, shard_count, holder, acquired_at, expires_at, idle_until FROM shard_leases"
_TAKE = (
    "INSERT INTO shard_leases (shard, shard_count, holder, acquired_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (shard) DO UPDATE SET "
    "shard_count = excluded.shard_count, holder = excluded.holder, "
    "acquired_at = excluded.acquired_at, expires_at = excluded.expires_at, "
    # A dead holder's promise to lend is not the new holder's: it paces at its share at once.
    "idle_until = 0 "
    "WHERE shard_leases.expires_at <= ? OR shard_leases.holder = ? OR shard_leases.holder = ?"
)


def _lease(row: Sequence[Any]) -> Lease:
    return Lease(*(row[i] for i in range(6)))


async def read_leases(conn: Connection) -> list[Lease]:
    cursor = await conn.execute(f"{_SELECT} ORDER BY shard")
    return [_lease(row) for row in await cursor.fetchall()]


async def all_leases(store: Store) -> list[Lease]:
    """Every lease row, live or not (`python -m bot check` shows them)."""
    rows = await store.fetchall(f"{_SELECT} ORDER BY shard")
    return [_lease(row) for row in rows]


def refusal(
    leases: list[Lease], shards: tuple[int, ...] | None, shard_count: int | None, holder: str
) -> str | None:
    """Why a process may not take `shards` (None: the whole bot) beside the live `leases`."""
    if shards is None:
        fleet = sorted({lease.holder for lease in leases if lease.shard != WHOLE_BOT})
        if fleet:
            return (
                "a fleet of shard processes holds this database (check shows which). A single "
                "process beside it would post everything twice; stop the fleet first, or run "
                "this one with --shards and --shard-count."
            )
        whole = [lease for lease in leases if lease.shard == WHOLE_BOT]
        if whole:
            return f"another Rebound ({whole[0].holder}) is already running on this database."
        return None
    if any(lease.shard == WHOLE_BOT for lease in leases):
        return (
            "a single-process Rebound (no --shards) holds this database; stop it before "
            "starting a fleet on it."
        )
    counts = sorted({lease.shard_count for lease in leases})
    if counts and counts != [shard_count]:
        return (
            f"the fleet runs with --shard-count {counts[0]}, this process asked for "
            f"{shard_count}. Every process of a fleet uses the same shard count; changing it "
            "means stopping the whole fleet first."
        )
    taken = [lease for lease in leases if lease.shard in shards]
    if taken:
        by = sorted({lease.holder for lease in taken})
        return (
            f"shard(s) {format_shards([lease.shard for lease in taken])} are served by "
            f"{', '.join(by)}. Two processes on one shard would answer everything twice; "
            "pick shards no live process serves (check lists them)."
        )
    return None


class ShardLeases(Lending):
    """This process's leases: taken at start, renewed every third of the lease, released at
    the stop; `scope()` is the claim scope the scheduler reads (bot.scheduling.scope)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        shards: tuple[int, ...] | None,
        shard_count: int | None,
        lease_seconds: float,
        holder: str | None = None,
        budget: budget_.Budget = "fixed",
    ) -> None:
        self._store = store
        self._clock = clock
        self.shards = shards
        self.shard_count = shard_count
        self.lease_seconds = lease_seconds
        self.holder = holder or make_holder()
        self._task: asyncio.Task[None] | None = None
        #: Whether `acquire` took the leases (and `release` must give them back).
        self.held = False
        #: Shards whose lease had expired at the last look (their work is anyone's).
        self.orphaned: tuple[int, ...] = ()
        #: How many processes held a live lease at the last look (this one included).
        self.processes = 1
        #: Shards this process has seen held by a live lease: an orphaned one among them lost
        #: its process while we watched (a shard never seen held may simply not be up yet).
        self._seen_held: set[int] = set()
        #: Called when the fleet's view changed (orphans appeared or the process count moved).
        self.on_change: Callable[[], None] | None = None
        #: Called when this process lost a lease (it stalled past it and another took over).
        self.on_lost: Callable[[], None] | None = None
        #: The holders of live leases at the last look (this process included).
        self.live_holders: tuple[str, ...] = ()
        #: Sends again, in the look's transaction, what processes now gone left claimed
        #: (Schedules.recover_in, given the live holders).
        self.recover_in: Callable[[Connection, list[str]], Awaitable[object]] | None = None
        self._init_lending(budget)

    @property
    def rows(self) -> tuple[int, ...]:
        return self.shards if self.shards is not None else (WHOLE_BOT,)

    def _now(self) -> int:
        return to_epoch(self._clock.now())

    async def acquire(self) -> None:
        """Take every lease of this process in one transaction, or raise LeaseRefused.

        The check (the live leases: shard count, overlaps, a single process) and the take are
        one step: a `transaction()` block runs alone among the writers of every process (on
        PostgreSQL it holds the store's write lock, an advisory lock, and reads at READ
        COMMITTED after taking it; on SQLite it is the one writer). So two processes starting
        at the same instant, even on disjoint shards with different shard counts, cannot both
        get in: the second reads the first's rows (tests/fleet/test_leases_postgres.py)."""
        now = self._now()
        expires = now + round(self.lease_seconds)
        count = self.shard_count or 0
        async with self._store.transaction() as conn:
            leases = await read_leases(conn)
            dead = [lease for lease in leases if is_dead_here(lease, self.holder)]
            live = [
                lease
                for lease in leases
                if lease.expires_at > now and lease not in dead and lease.holder != self.holder
            ]
            why = refusal(live, self.shards, self.shard_count, self.holder)
            if why is not None:
                raise LeaseRefused(why)
            for lease in dead:
                log.info("Shard %d's lease was held by %s, no longer running", *_who(lease))
            dead_holder = dead[0].holder if dead else self.holder
            for shard in self.rows:
                holder_of = next((d.holder for d in dead if d.shard == shard), dead_holder)
                cursor = await conn.execute(
                    _TAKE, (shard, count, self.holder, now, expires, now, self.holder, holder_of)
                )
                if cursor.rowcount != 1:  # another process took it between our read and now
                    raise LeaseRefused(
                        f"shard {shard} was taken by another process at the same moment."
                    )
            await self._look(conn, now)
        self.held = True
        self._joined()
        log.info(
            "Holding shard lease(s) %s of %s for %gs as %s",
            format_shards(list(self.rows)),
            count or "all",
            self.lease_seconds,
            self.holder,
        )

    async def renew(self) -> bool:
        """Extend every lease; False if one was lost (another process holds it now)."""
        now = self._now()
        marks = ",".join("?" for _ in self.rows)
        idle_until = self._extend_promise()
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE shard_leases SET expires_at = ?, idle_until = ? "
                f"WHERE holder = ? AND shard IN ({marks})",
                (now + round(self.lease_seconds), idle_until, self.holder, *self.rows),
            )
            kept = cursor.rowcount == len(self.rows)
            await self._look(conn, now)
        return kept

    async def _look(self, conn: Connection, now: int) -> None:
        """Which shards are orphaned and how many processes are live, for claims and pacing;
        and, when a process is gone (its lease expired, or it gave it back), its claimed runs
        are sent again (with their nonces) and its expired rows removed."""
        rows = await read_leases(conn)
        leases = [lease for lease in rows if lease.expires_at > now]
        expired = [lease for lease in rows if lease.expires_at <= now]
        live = tuple(sorted({lease.holder for lease in leases}))
        gone = {lease.holder for lease in expired} | (set(self.live_holders) - set(live))
        self.live_holders = live
        if gone and self.recover_in is not None:
            log.info("%d fleet process(es) gone; sending again what they left", len(gone))
            await self.recover_in(conn, list(live))
        if expired:
            await conn.execute("DELETE FROM shard_leases WHERE expires_at <= ?", (now,))
        before = (self.orphaned, self.processes)
        promises_moved = self._read_neighbours(_promises(leases))
        if self.shard_count:
            held = {lease.shard for lease in leases}
            self._seen_held |= held
            self.orphaned = tuple(s for s in range(self.shard_count) if s not in held)
        self.processes = max(1, len({lease.holder for lease in leases}))
        moved = promises_moved or (self.orphaned, self.processes) != before
        if moved and self.on_change is not None:
            self.on_change()

    async def poll(self) -> None:
        """Read the neighbours' promises between looks (a read, no write)."""
        now = self._now()
        rows = await self._store.fetchall(f"{_SELECT} WHERE expires_at > ?", (now,))
        if (
            self._read_neighbours(_promises([_lease(row) for row in rows]))
            and self.on_change is not None
        ):
            self.on_change()

    @property
    def share(self) -> float:
        """This process's fraction of the token's limit: its shards, plus an equal part of the
        shards whose process it saw go, over the shard count (1 for a single process). The
        live processes' shares never add up to more than 1, whoever started first."""
        if self.shards is None or not self.shard_count:
            return 1.0
        gone = [s for s in self.orphaned if s in self._seen_held]
        return (len(self.shards) + len(gone) / self.processes) / self.shard_count

    @property
    def refresh_seconds(self) -> float:
        """How often the leases are renewed and the fleet looked at again."""
        return min(self.lease_seconds / 3, REFRESH_SECONDS)

    def scope(self) -> ClaimScope | None:
        """What the scheduler claims: own shards first, then orphaned ones (None: all)."""
        if self.shards is None or not self.shard_count:
            return None
        return ClaimScope(self.shard_count, self.shards, self.orphaned)

    def start(self) -> None:
        """Renew every third of the lease until `release`."""
        if self._task is None:
            self._task = asyncio.create_task(self._keep(), name="rebound-shard-leases")

    async def _keep(self) -> None:
        # Sharing the budget: read the neighbours' promises every second between the looks.
        step = min(budget_.POLL_SECONDS, self.refresh_seconds) if self.sharing else None
        per_look = max(1, round(self.refresh_seconds / step)) if step else 1
        ticks = 0
        while True:
            await asyncio.sleep(step or self.refresh_seconds)
            ticks += 1
            if ticks % per_look:
                try:
                    await self.poll()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.warning("Reading the fleet's promises failed", exc_info=True)
                continue
            try:
                kept = await self.renew()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Renewing the shard leases failed; trying again shortly")
                continue
            if not kept:
                log.error(
                    "This process lost its shard lease (it was stalled longer than the lease "
                    "and another process took over); stopping so only one serves each shard"
                )
                if self.on_lost is not None:
                    self.on_lost()
                return

    async def release(self) -> None:
        """Stop renewing and give the leases back, so a neighbour takes over at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._cancel_promise_writes()
        if self.held:
            self.held = False
            await self._store.execute("DELETE FROM shard_leases WHERE holder = ?", (self.holder,))


def describe_leases(leases: list[Lease], now: int) -> list[str]:
    """What `python -m bot check` prints: each process and the shards it holds."""
    if not leases:
        return ["Shards: no process holds a lease (one process on SQLite, or nothing running)."]
    by_holder: dict[str, list[Lease]] = {}
    for lease in leases:
        by_holder.setdefault(lease.holder, []).append(lease)
    lines = ["Shards: who serves what (leases in the database)"]
    for holder, held in sorted(by_holder.items(), key=lambda item: item[1][0].shard):
        expires = max(lease.expires_at for lease in held)
        state = f"live, {expires - now}s left" if expires > now else "expired (process gone)"
        if held[0].shard == WHOLE_BOT:
            lines.append(f"  {holder}: every shard (a single process), {state}")
            continue
        shards = format_shards([lease.shard for lease in held])
        lines.append(f"  {holder}: shards {shards} of {held[0].shard_count}, {state}")
    return lines


def _promises(leases: list[Lease]) -> list[tuple[str, int]]:
    """Each fleet lease's holder and promise (bot.fleet.lending)."""
    return [(lease.holder, lease.idle_until) for lease in leases if lease.shard != WHOLE_BOT]


def _who(lease: Lease) -> tuple[int, str]:
    return lease.shard, lease.holder
