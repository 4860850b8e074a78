"""Housekeeping: finished run history (and what features register) pruned hourly.

An hourly timer of the injected clock (bot.scheduling.waking) deletes, in one transaction,
the scheduler's finished runs older than the retention period and whatever each feature's
registered `prune(conn, cutoff)` deletes (its post log, old events).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.db import Connection, Store
from bot.scheduling import jobs
from bot.scheduling.model import Housekeeper, to_epoch
from bot.scheduling.waking import ClockTimers

log = logging.getLogger(__name__)

EVERY = timedelta(hours=1)
_TIMER = "housekeeping"


_HOUSEKEEPING_KEY = "housekeeping_at"


async def _claim_housekeeping(conn: Connection, now: datetime, every: int) -> bool:
    """Whether this process does the housekeeping of this period (once across a fleet): the
    first to move the recorded instant forward by at least `every` seconds does it."""
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, '0') ON CONFLICT (key) DO NOTHING",
        (_HOUSEKEEPING_KEY,),
    )
    now_s = to_epoch(now)
    cursor = await conn.execute(
        "UPDATE meta SET value = ? WHERE key = ? AND CAST(value AS INTEGER) <= ?",
        (str(now_s), _HOUSEKEEPING_KEY, now_s - every),
    )
    return cursor.rowcount == 1


class Housekeeping:
    def __init__(self, store: Store, clock: Clock, history: timedelta) -> None:
        self._store = store
        self._clock = clock
        #: Finished history is kept this long.
        self.history = history
        self._prunes: list[Housekeeper] = []
        #: A fleet process (bot/fleet): the hourly prune runs in one process per hour only.
        self.once_across_fleet = False
        self._timers: ClockTimers | None = None
        self._task: asyncio.Task[Any] | None = None

    def add(self, prune: Housekeeper) -> None:
        if prune not in self._prunes:
            self._prunes.append(prune)

    def remove(self, prune: Housekeeper) -> None:
        if prune in self._prunes:
            self._prunes.remove(prune)

    async def prune(self, now: datetime | None = None, *, hourly: bool = False) -> int:
        """Delete finished run history (and features' registered history) past retention.
        `hourly` (the timer's): in a fleet, only if no other process did it this hour."""
        at = now or self._clock.now()
        cutoff = at - self.history
        async with self._store.transaction() as conn:
            if hourly and self.once_across_fleet:
                # A little under the hour: timers of processes started apart still alternate.
                every = int(EVERY.total_seconds()) - 60
                if not await _claim_housekeeping(conn, at, every):
                    return 0
            removed = await jobs.prune_runs(conn, cutoff)
            for prune in self._prunes:
                removed += await prune(conn, cutoff)
        if removed:
            log.info("Pruned %d row(s) of history older than %s", removed, cutoff.date())
        return removed

    def start(self, timers: ClockTimers) -> None:
        """Prune now, then hourly (of the injected clock) on `timers`."""
        self._timers = timers
        timers.at(_TIMER, self._clock.now(), self._run)

    async def stop(self) -> None:
        self._timers = None
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        if self._timers is None:
            return  # stopped
        self._task = asyncio.current_task()
        try:
            await self.prune(hourly=True)
        except asyncio.CancelledError:
            return  # the stop
        except Exception:
            log.exception("Pruning the run history failed; trying again in an hour")
        finally:
            self._task = None
        if self._timers is not None:
            self._timers.at(_TIMER, self._clock.now() + EVERY, self._run)
