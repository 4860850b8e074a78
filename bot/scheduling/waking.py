"""Timers at instants of the injected clock, on APScheduler: when the runner wakes.

The database says what is due; this only says *when to look*. Each timer is an APScheduler
`DateTrigger` job on an `AsyncIOScheduler` (in the bot's event loop, a coroutine, so nothing
runs on a thread). A timer is asked for at an instant of the bot's Clock, which in tests and
the playground is not the wall clock: it is planned at the wall instant the same distance
away, and :meth:`ClockTimers.clock_moved` plans every timer again when a controllable clock
jumps. APScheduler's defaults are changed where they would lose a wake-up: a timer that fires
late (a busy loop) still fires (no misfire grace), once (coalesce).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock, SystemClock

Fire = Callable[[], Awaitable[None]]


class ClockTimers:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._wall = SystemClock()
        self._planned: dict[str, tuple[datetime, Fire]] = {}
        # APScheduler logs every job added and run at INFO: several a minute here, all noise.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self._aps = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )

    @property
    def running(self) -> bool:
        return bool(self._aps.running)

    def start(self) -> None:
        """Start in the running event loop (the timers fire there)."""
        if not self._aps.running:
            self._aps.start()
        for name in list(self._planned):
            self._plan(name)

    def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    def at(self, name: str, instant: datetime, fire: Fire) -> None:
        """Call `fire()` once at `instant` of the injected clock (replacing `name`'s timer)."""
        self._planned[name] = (instant, fire)
        if self._aps.running:
            self._plan(name)

    def clock_moved(self) -> None:
        """The injected clock jumped (a test's or the playground's clock control): plan every
        timer again from its new reading."""
        if self._aps.running:
            for name in list(self._planned):
                self._plan(name)

    def _plan(self, name: str) -> None:
        instant, _ = self._planned[name]
        delay = max(instant - self._clock.now(), timedelta(0))
        self._aps.add_job(
            self._fire,
            DateTrigger(run_date=self._wall.now() + delay, timezone=UTC),
            args=(name, instant),
            id=name,
            replace_existing=True,
        )

    async def _fire(self, name: str, instant: datetime) -> None:
        planned = self._planned.get(name)
        if planned is None or planned[0] != instant:
            return  # planned again meanwhile
        del self._planned[name]
        await planned[1]()
