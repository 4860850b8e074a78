"""Housekeeping runs once an hour across a fleet: the first process to claim the hour prunes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import Scheduler

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


async def _old_run(store: Store, key: str) -> None:
    old = int((START - timedelta(days=90)).timestamp())
    await store.execute(
        "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, finished_at, "
        "attempts) VALUES ('test.x', ?, 'o', 'done', ?, ?, ?, 1)",
        (key, old, old, old),
    )


async def test_the_hourly_prune_runs_in_one_process_of_the_fleet(store: Store) -> None:
    clock = ManualClock(START)
    a, b = Scheduler(store, clock), Scheduler(store, clock)
    for scheduler in (a, b):
        scheduler.housekeeping.once_across_fleet = True
    await _old_run(store, "1")
    assert await a.housekeeping.prune(hourly=True) == 1
    await _old_run(store, "2")
    assert await b.housekeeping.prune(hourly=True) == 0  # a did this hour's
    clock.set(START + timedelta(hours=1))
    assert await b.housekeeping.prune(hourly=True) == 1


async def test_a_single_process_prunes_every_time_as_before(store: Store) -> None:
    clock = ManualClock(START)
    single = Scheduler(store, clock)
    await _old_run(store, "1")
    assert await single.housekeeping.prune(hourly=True) == 1
    await _old_run(store, "2")
    assert await single.housekeeping.prune(hourly=True) == 1
