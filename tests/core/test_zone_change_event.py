"""A member's /timezone change as a durable event: recorded with the change, followed once by
each subscriber (a restart in between included), the member sealed, never in clear."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.anonymity import Anonymizer
from bot.clock import ManualClock
from bot.db import Store
from bot.member_settings import ZoneFollower, announce_timezone_change, set_member_timezone
from bot.scheduling import Scheduler

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MEMBER = 1577601399120724165


class Follows:
    def __init__(self) -> None:
        self.members: list[int] = []

    async def __call__(self, user_id: int) -> None:
        self.members.append(user_id)


async def _dump(store: Store) -> str:
    rows = []
    for table in ("events", "scheduled_jobs", "job_runs"):
        rows += [tuple(r) for r in await store.fetchall(f"SELECT * FROM {table}")]
    return json.dumps(rows)


async def test_a_change_is_followed_once_after_a_restart_with_the_member_sealed(
    store: Store, clock: ManualClock
) -> None:
    clock.set(START)
    anonymizer = Anonymizer(b"k" * 32)
    before_restart = Scheduler(store, clock)
    before_restart.events.subscribe(ZoneFollower("streaks.zone_change", Follows(), anonymizer))
    async with store.transaction() as conn:
        await set_member_timezone(conn, MEMBER, "Asia/Tokyo", START)
        await announce_timezone_change(conn, before_restart.events, anonymizer, MEMBER)
    # The process stops before the follow ran; a new one starts on the same database.
    follows = Follows()
    after_restart = Scheduler(store, clock)
    after_restart.events.subscribe(ZoneFollower("streaks.zone_change", follows, anonymizer))
    await after_restart.run_due()
    await after_restart.run_due()
    assert follows.members == [MEMBER]
    assert str(MEMBER) not in await _dump(store)
    run = await store.fetchone("SELECT kind, status FROM job_runs")
    assert run is not None and tuple(run) == ("streaks.zone_change", "done")


async def test_an_event_sealed_with_another_key_is_skipped(
    store: Store, clock: ManualClock
) -> None:
    clock.set(START)
    scheduler = Scheduler(store, clock)
    follows = Follows()
    scheduler.events.subscribe(ZoneFollower("streaks.zone_change", follows, Anonymizer(b"a" * 32)))
    async with store.transaction() as conn:
        await announce_timezone_change(conn, scheduler.events, Anonymizer(b"b" * 32), MEMBER)
    await scheduler.run_due()
    assert follows.members == []
    run = await store.fetchone("SELECT status FROM job_runs")
    assert run is not None and run["status"] == "skipped"
