"""Durable events (bot.scheduling.events): recorded with the caller's transaction, delivered to
each subscriber as a scheduled job, once, retries and restarts included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Outcome, RetryLater, Scheduler
from bot.scheduling.events import Event

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Listener:
    event = "things.happened"
    grace = timedelta(days=1)

    def __init__(self, kind: str, *, fail_first: int = 0) -> None:
        self.kind = kind
        self.heard: list[tuple[str, dict[str, object], int]] = []
        self._fail = fail_first

    async def handle(self, event: Event, run: DueRun) -> tuple[Outcome, str | None]:
        if self._fail:
            self._fail -= 1
            raise RetryLater("not yet", after=timedelta(seconds=30))
        self.heard.append((event.key, dict(event.data), run.attempt))
        return "done", None


async def emit(store: Store, scheduler: Scheduler, key: str, **data: object) -> None:
    async with store.transaction() as conn:
        await scheduler.events.emit(conn, "things.happened", key, data)


async def test_each_subscriber_hears_an_event_once(store: Store, clock: ManualClock) -> None:
    clock.set(START)
    scheduler = Scheduler(store, clock)
    one, two = Listener("a.listens"), Listener("b.listens")
    scheduler.events.subscribe(one)
    scheduler.events.subscribe(two)
    await emit(store, scheduler, "k1", story_id=4)
    await emit(store, scheduler, "k1", story_id=5)  # a repeat: the first record stands
    await scheduler.run_due()
    await emit(store, scheduler, "k1", story_id=6)  # after it ran: nothing more
    await scheduler.run_due()
    assert one.heard == [("k1", {"story_id": 4}, 1)]
    assert two.heard == [("k1", {"story_id": 4}, 1)]


async def test_a_retried_run_still_reads_its_event(store: Store, clock: ManualClock) -> None:
    clock.set(START)
    scheduler = Scheduler(store, clock)
    listener = Listener("a.listens", fail_first=1)
    scheduler.events.subscribe(listener)
    await emit(store, scheduler, "k1", story_id=4)
    await scheduler.run_due()
    assert listener.heard == []
    clock.advance(timedelta(seconds=31))
    await scheduler.run_due()
    assert listener.heard == [("k1", {"story_id": 4}, 2)]


async def test_an_event_rolled_back_with_its_record_is_never_heard(
    store: Store, clock: ManualClock
) -> None:
    clock.set(START)
    scheduler = Scheduler(store, clock)
    listener = Listener("a.listens")
    scheduler.events.subscribe(listener)
    try:
        async with store.transaction() as conn:
            await scheduler.events.emit(conn, "things.happened", "k1", {"story_id": 4})
            raise RuntimeError("the record it belongs to failed")
    except RuntimeError:
        pass
    await scheduler.run_due()
    assert listener.heard == []


async def test_events_are_pruned_with_the_run_history(store: Store, clock: ManualClock) -> None:
    clock.set(START)
    scheduler = Scheduler(store, clock, history_days=30)
    scheduler.events.subscribe(Listener("a.listens"))
    await emit(store, scheduler, "k1", story_id=4)
    await scheduler.run_due()
    await scheduler.prune(START + timedelta(days=31))
    assert await store.fetchone("SELECT 1 FROM events") is None
