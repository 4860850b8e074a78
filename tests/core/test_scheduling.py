"""The due-work runner against a real SQLite store, with a simple hourly handler."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Hourly:
    """Due on the hour; the occurrence label is the hour itself."""

    kind = "test.hourly"

    def __init__(self, grace: timedelta = timedelta(minutes=30)) -> None:
        self.ran: list[str] = []
        self._grace = grace
        self.fail_with: Exception | None = None
        self.block: asyncio.Event | None = None

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        nxt = after.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        if "until" in rule and nxt > datetime.fromisoformat(rule["until"]):
            return None
        return Occurrence(nxt, nxt.strftime("%Y-%m-%dT%H"))

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return self._grace

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        if self.block is not None:
            await self.block.wait()
        if self.fail_with is not None:
            raise self.fail_with
        self.ran.append(run.occurrence)
        return "done", None


async def make(store: Store, clock: ManualClock, handler: Hourly, key: str = "a") -> Scheduler:
    scheduler = Scheduler(store, clock)
    scheduler.register(handler)
    async with store.transaction() as conn:
        await scheduler.put_job(conn, handler.kind, key, {})
    return scheduler


async def test_nothing_runs_before_it_is_due(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    clock.advance(timedelta(minutes=59))
    assert await scheduler.run_due() == []
    assert handler.ran == []


async def test_due_work_runs_once_and_moves_on(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1, seconds=5))
    await scheduler.run_due()
    await scheduler.run_due()
    assert handler.ran == ["2026-03-02T13"]
    nxt = await scheduler.next_run(handler.kind, "a")
    assert nxt is not None and nxt.due_at == START + timedelta(hours=2)


async def test_overlapping_ticks_run_an_occurrence_once(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    handler.block = asyncio.Event()
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1))
    first = asyncio.create_task(scheduler.run_due())
    second = asyncio.create_task(scheduler.run_due())
    await asyncio.sleep(0.05)
    handler.block.set()
    await asyncio.gather(first, second)
    assert handler.ran == ["2026-03-02T13"]


async def test_two_schedulers_on_one_database_never_double_run(tmp_path: Path) -> None:
    """As after a restart that overlaps the old process: two stores on one file."""
    path = tmp_path / "shared.db"
    clock = ManualClock(START)
    async with await Store.open(path) as one, await Store.open(path) as two:
        h1, h2 = Hourly(), Hourly()
        s1 = await make(one, clock, h1)
        s2 = Scheduler(two, clock)
        s2.register(h2)
        clock.set(START + timedelta(hours=1))
        await asyncio.gather(s1.run_due(), s2.run_due())
    assert sorted(h1.ran + h2.ran) == ["2026-03-02T13"]


async def test_late_within_grace_runs_and_older_is_recorded_missed(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly(grace=timedelta(minutes=30))
    scheduler = await make(store, clock, handler)
    clock.set(
        START + timedelta(hours=3, minutes=20)
    )  # 13:00 and 14:00 are long past; 15:00 is 20m late
    results = await scheduler.run_due()
    assert handler.ran == ["2026-03-02T15"]
    assert [r.outcome for r in results] == ["missed", "missed", "done"]
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "missed"


async def test_a_failing_run_is_recorded_and_not_retried(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    handler.fail_with = RuntimeError("network down")
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1))
    results = await scheduler.run_due()
    assert [r.outcome for r in results] == ["failed"]
    handler.fail_with = None
    await scheduler.run_due()
    assert handler.ran == []
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "failed"


async def test_a_claimed_occurrence_is_not_run_again(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    async with store.transaction() as conn:
        taken = await scheduler.claim_occurrence(
            conn, handler.kind, "a", "2026-03-02T13", due_at=START, status="done"
        )
    assert taken
    clock.set(START + timedelta(hours=1))
    await scheduler.run_due()
    assert handler.ran == []


async def test_runs_left_claimed_by_a_crash_are_marked_interrupted(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    async with store.transaction() as conn:
        await scheduler.claim_occurrence(conn, handler.kind, "a", "2026-03-02T13", due_at=START)
    await scheduler.start()
    await scheduler.stop()
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "interrupted"


async def test_an_ended_schedule_is_removed(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = Scheduler(store, clock)
    scheduler.register(handler)
    async with store.transaction() as conn:
        await scheduler.put_job(conn, handler.kind, "a", {"until": "2026-03-02T13:30:00+00:00"})
    clock.set(START + timedelta(hours=5))
    await scheduler.run_due()
    assert await scheduler.next_run(handler.kind, "a") is None


async def test_next_due_at_is_the_earliest_over_all_jobs(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(minutes=30))
    async with store.transaction() as conn:
        await scheduler.put_job(conn, handler.kind, "b", {})
    assert await scheduler.next_due_at() == START + timedelta(hours=1)


async def test_unregistered_kinds_are_left_alone(store: Store, clock: ManualClock) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    scheduler.unregister(handler.kind)
    clock.set(START + timedelta(hours=2))
    assert await scheduler.run_due() == []
    assert handler.ran == []


async def test_apscheduler_ticks_run_due_work_on_their_own(
    store: Store, clock: ManualClock
) -> None:
    """The real tick, not the harness: APScheduler calls run_due every tick_seconds."""
    handler = Hourly()
    scheduler = Scheduler(store, clock, tick_seconds=0.2)
    scheduler.register(handler)
    async with store.transaction() as conn:
        await scheduler.put_job(conn, handler.kind, "a", {})
    await scheduler.start()
    try:
        clock.set(START + timedelta(hours=1))
        for _ in range(50):
            if handler.ran:
                break
            await asyncio.sleep(0.1)
    finally:
        await scheduler.stop()
    assert handler.ran == ["2026-03-02T13"]
