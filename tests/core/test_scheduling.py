"""The due-work runner against a real SQLite store, with a simple hourly handler."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Occurrence, Outcome, RetryLater, Scheduler, make_nonce

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


async def test_a_run_a_crash_left_in_flight_is_sent_again_inside_the_nonce_window(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1))
    async with store.transaction() as conn:
        await scheduler.claim_occurrence(
            conn, handler.kind, "a", "2026-03-02T13", due_at=START + timedelta(hours=1)
        )
    clock.advance(timedelta(seconds=30))  # the restart came 30 s later
    assert await scheduler.recover() == (1, 0)
    await scheduler.run_due()
    assert handler.ran == ["2026-03-02T13"]
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "done"


async def test_a_run_left_in_flight_past_the_nonce_window_is_recorded_interrupted(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    async with store.transaction() as conn:
        await scheduler.claim_occurrence(conn, handler.kind, "a", "2026-03-02T13", due_at=START)
    clock.advance(scheduler.nonce_window + timedelta(seconds=1))
    await scheduler.start()
    await scheduler.stop()
    assert handler.ran == []
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "interrupted"


class LooksFirst(Hourly):
    """A create without a nonce that looks before it creates (bot.creating): resumable."""

    kind = "test.looks_first"
    resumable = True

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.ran.append(f"{run.occurrence}#{run.attempt}")
        return "done", None


async def test_a_resumable_run_left_in_flight_is_run_again_at_any_age(
    store: Store, clock: ManualClock
) -> None:
    handler = LooksFirst(grace=timedelta(days=7))
    scheduler = await make(store, clock, handler)
    async with store.transaction() as conn:
        await scheduler.claim_occurrence(conn, handler.kind, "a", "2026-03-02T13", due_at=START)
    clock.advance(scheduler.nonce_window + timedelta(hours=3))
    assert await scheduler.recover() == (1, 0)
    await scheduler.run_due()
    # A second attempt: the handler knows to look for what the first one made.
    assert handler.ran[0] == "2026-03-02T13#2"
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "done"


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


async def test_the_loop_runs_due_work_on_its_own_safety_tick(
    store: Store, clock: ManualClock
) -> None:
    """The real loop, not the harness: a clock moved behind its back is seen at the tick."""
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


# -- the engine: retries, the pool, run_now, stopping, waking, nonces, housekeeping ------------


class Flaky(Hourly):
    """Asks to be retried `failures` times, then works."""

    def __init__(self, failures: int, grace: timedelta = timedelta(hours=3)) -> None:
        super().__init__(grace)
        self.failures = failures
        self.nonces: list[str] = []

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.nonces.append(run.nonce)
        if self.failures > 0:
            self.failures -= 1
            raise RetryLater("http_503")
        return await super().run(run)


async def test_a_passing_failure_is_retried_later_with_the_same_nonce(
    store: Store, clock: ManualClock
) -> None:
    handler = Flaky(failures=2)
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1))
    results = await scheduler.run_due()
    assert [r.outcome for r in results] == ["pending"]
    assert await scheduler.run_state(handler.kind, "a", "2026-03-02T13") == "in_progress"
    retry_at = await scheduler.next_due_at()
    assert retry_at == START + timedelta(hours=1, seconds=30)
    clock.set(retry_at)
    await scheduler.run_due()
    clock.set(START + timedelta(hours=1, minutes=5))
    await scheduler.run_due()
    assert handler.ran == ["2026-03-02T13"]
    assert len(set(handler.nonces)) == 1 and len(handler.nonces) == 3
    assert await scheduler.run_state(handler.kind, "a", "2026-03-02T13") == "done"


async def test_retries_stop_at_the_end_of_the_grace_window(
    store: Store, clock: ManualClock
) -> None:
    handler = Flaky(failures=1000, grace=timedelta(minutes=10))
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1))
    for _ in range(50):
        due = await scheduler.next_due_at()
        if due is None or due > START + timedelta(hours=1, minutes=30):
            break
        clock.set(max(due, clock.now()))
        await scheduler.run_due()
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "failed"
    assert handler.ran == []


class Slow(Hourly):
    def __init__(self) -> None:
        super().__init__()
        self.active = 0
        self.peak = 0

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.active += 1
        self.peak = max(self.peak, self.active)
        await asyncio.sleep(0.02)
        self.active -= 1
        return await super().run(run)


async def test_a_bounded_pool_runs_many_at_once(store: Store, clock: ManualClock) -> None:
    handler = Slow()
    scheduler = Scheduler(store, clock, workers=5)
    scheduler.register(handler)
    async with store.transaction() as conn:
        for n in range(40):
            await scheduler.put_job(conn, handler.kind, f"k{n}", {})
    clock.set(START + timedelta(hours=1))
    await scheduler.run_due()
    assert len(handler.ran) == 40
    assert handler.peak == 5


async def test_run_now_takes_the_scheduled_path_once(store: Store, clock: ManualClock) -> None:
    handler = Flaky(failures=0)
    scheduler = await make(store, clock, handler)
    first = await scheduler.run_now(handler.kind, "a", "2026-03-02T13")
    second = await scheduler.run_now(handler.kind, "a", "2026-03-02T13")
    assert (first.outcome, second.outcome) == ("done", "already_done")
    assert first.run.manual and first.run.nonce == make_nonce(handler.kind, "a", "2026-03-02T13")
    clock.set(START + timedelta(hours=1))
    await scheduler.run_due()  # the schedule's own run of that hour finds it taken
    assert handler.ran == ["2026-03-02T13"]


async def test_stop_finishes_what_is_in_flight_and_claims_nothing_more(
    store: Store, clock: ManualClock
) -> None:
    handler = Slow()
    scheduler = Scheduler(store, clock, workers=2)
    scheduler.register(handler)
    async with store.transaction() as conn:
        for n in range(20):
            await scheduler.put_job(conn, handler.kind, f"k{n}", {})
    clock.set(START + timedelta(hours=1))
    rush = asyncio.create_task(scheduler.run_due())
    await asyncio.sleep(0.05)
    await scheduler.stop()
    await rush
    done = len(handler.ran)
    assert 0 < done < 20
    rows = await store.fetchall("SELECT status FROM job_runs")
    assert {r["status"] for r in rows} == {"done"}  # nothing left half-way
    assert len(rows) == done
    # what was never claimed is still due for the next start
    later = Scheduler(store, clock, workers=2)
    later.register(handler)
    await later.run_due()
    assert len(handler.ran) == 20
    rows = await store.fetchall("SELECT DISTINCT key FROM job_runs WHERE status = 'done'")
    assert len(rows) == 20


class Once(Hourly):
    """Due once, at the rule's "at"; the occurrence is labelled `label`."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = datetime.fromisoformat(rule["at"])
        return Occurrence(due, self.label) if due > after else None


async def test_the_loop_wakes_at_the_due_instant_not_the_tick(store: Store) -> None:
    from bot.clock import SystemClock

    soon = Once("once")
    scheduler = Scheduler(store, SystemClock(), tick_seconds=60)
    scheduler.register(soon)
    await scheduler.start()
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
        async with store.transaction() as conn:
            await scheduler.put_job(conn, soon.kind, "x", {"at": due.isoformat()})
        for _ in range(100):
            if soon.ran:
                break
            await asyncio.sleep(0.05)
        assert soon.ran == ["once"]
        assert datetime.now(UTC) - due < timedelta(seconds=1)
    finally:
        await scheduler.stop()


async def test_a_job_put_from_sqlite_s_thread_wakes_the_sleeping_loop(store: Store) -> None:
    """A Store.run body (on SQLite's thread) that puts a job due now: the loop, asleep for a
    60 s tick, runs it at once (wake() crosses threads safely)."""
    import aiosqlite

    from bot.clock import SystemClock

    now = Once("now")
    scheduler = Scheduler(store, SystemClock(), tick_seconds=60)
    scheduler.register(now)
    await scheduler.start()
    await asyncio.sleep(0.1)  # the loop is asleep now, until the tick

    async def put(conn: aiosqlite.Connection) -> None:
        due = datetime.now(UTC) + timedelta(milliseconds=100)
        await scheduler.put_job(conn, now.kind, "x", {"at": due.isoformat()})

    try:
        await store.run(put)
        for _ in range(60):
            if now.ran:
                break
            await asyncio.sleep(0.05)
        assert now.ran == ["now"]
    finally:
        await scheduler.stop()


def test_nonces_are_stable_distinct_and_fit_discord() -> None:
    one = make_nonce("affirmations.guild", "123", "2026-03-02")
    assert one == make_nonce("affirmations.guild", "123", "2026-03-02")
    assert len(one) <= 25
    others = {
        make_nonce("affirmations.guild", "123", "2026-03-03"),
        make_nonce("affirmations.dm", "123", "2026-03-02"),
        make_nonce("affirmations.guild", "1234", "2026-03-02"),
        make_nonce("affirmations.guild", "123", "2026-03-02", "notice"),
    }
    assert one not in others and len(others) == 4


async def test_housekeeping_prunes_finished_history_past_retention(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly()
    scheduler = Scheduler(store, clock, history_days=7)
    scheduler.register(handler)
    async with store.transaction() as conn:
        await scheduler.put_job(conn, handler.kind, "a", {})
    for hours in (1, 2):
        clock.set(START + timedelta(hours=hours))
        await scheduler.run_due()
    clock.set(START + timedelta(days=7, hours=1, minutes=30))
    assert await scheduler.prune() == 1
    rows = await store.fetchall("SELECT occurrence FROM job_runs")
    assert [r["occurrence"] for r in rows] == ["2026-03-02T14"]
    if store.dialect == "postgresql":  # the index exists (PostgreSQL plans by statistics)
        index = await store.fetchone("SELECT to_regclass('job_runs_open') IS NOT NULL")
        assert index is not None and index[0]
        return
    plan = await store.fetchall(
        "EXPLAIN QUERY PLAN SELECT * FROM job_runs WHERE status = 'claimed'"
    )
    assert any("job_runs_open" in str(r["detail"]) for r in plan)


@pytest.mark.sqlite_only
async def test_the_claim_reads_due_jobs_through_the_index_without_sorting(store: Store) -> None:
    """10,000 jobs due at one instant: the claim's read walks the (next_run_at, kind, key)
    index and stops at its LIMIT; a plan that sorts them all again for every claim fails."""
    from bot.scheduling import due_jobs_sql

    await store.executemany(
        "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
        "VALUES (?, ?, '{}', 1000, 'x')",
        [("affirmations.guild", str(n)) for n in range(10_000)],
    )
    kinds = ["affirmations.guild", "affirmations.dm", "stories.post"]
    plan = await store.fetchall("EXPLAIN QUERY PLAN " + due_jobs_sql(len(kinds)), (2000, *kinds, 8))
    details = " | ".join(str(r["detail"]) for r in plan)
    assert "scheduled_jobs_due" in details and "TEMP B-TREE" not in details, details
    rows = await store.fetchall(due_jobs_sql(len(kinds)), (2000, *kinds, 8))
    assert [r["key"] for r in rows] == sorted(str(n) for n in range(10_000))[:8]


class Preparing(Hourly):
    """Reads something in the claim's transaction (bot.scheduling.PreparesInClaim)."""

    kind = "test.preparing"

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail
        self.prepared: list[Any] = []

    async def prepare_in(self, conn: Any, run: DueRun) -> Any:
        await conn.execute("INSERT INTO scratch VALUES (1)")
        if self.fail:
            raise RuntimeError("cannot prepare")
        cursor = await conn.execute("SELECT occurrence FROM job_runs WHERE key = ?", (run.key,))
        row = await cursor.fetchone()
        return ("claimed as", row[0])

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.prepared.append(run.prepared)
        return await super().run(run)


async def test_a_claimed_run_arrives_with_what_its_handler_prepared_in_the_claim(
    store: Store, clock: ManualClock
) -> None:
    handler = Preparing()
    await store.execute("CREATE TABLE scratch (x INTEGER) STRICT")
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1, seconds=5))
    await scheduler.run_due()
    assert handler.prepared == [("claimed as", "2026-03-02T13")]
    # A manual run is not prepared: the handler reads for itself.
    await scheduler.run_now(handler.kind, "a", "2026-03-02T15")
    assert handler.prepared[-1] is None


async def test_a_failing_prepare_leaves_the_claim_standing_and_the_run_unprepared(
    store: Store, clock: ManualClock
) -> None:
    handler = Preparing(fail=True)
    await store.execute("CREATE TABLE scratch (x INTEGER) STRICT")
    scheduler = await make(store, clock, handler)
    clock.set(START + timedelta(hours=1, seconds=5))
    await scheduler.run_due()
    assert handler.ran == ["2026-03-02T13"] and handler.prepared == [None]
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "done"
    # What the failed prepare wrote was rolled back with it, nothing else.
    assert (await store.fetchone("SELECT count(*) FROM scratch"))[0] == 0  # type: ignore[index]


class Sends(Hourly):
    """Records each run's nonce; the run for key "slow" waits until released."""

    def __init__(self) -> None:
        super().__init__()
        self.nonces: list[tuple[str, str]] = []
        self.release = asyncio.Event()

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.nonces.append((run.key, run.nonce))
        if run.key == "slow":
            await self.release.wait()
        return "done", None


async def test_outcomes_of_one_moment_share_a_commit_and_the_last_commits_at_once(
    store: Store, clock: ManualClock
) -> None:
    handler = Sends()
    scheduler = Scheduler(store, clock, record_linger=3600)
    scheduler.register(handler)
    async with store.transaction() as conn:
        for key in ("a", "b", "slow"):
            await scheduler.put_job(conn, handler.kind, key, {})
    clock.set(START + timedelta(hours=1))
    rush = asyncio.create_task(scheduler.run_due())
    while len(handler.nonces) < 3:  # noqa: ASYNC110 - waiting for the handlers to start
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    # "a" and "b" are sent; their outcomes wait for company while "slow" is still sending.
    assert await scheduler.run_status(handler.kind, "a", "2026-03-02T13") == "claimed"
    handler.release.set()  # the last one does not linger: it takes the others along
    results = await asyncio.wait_for(rush, timeout=10)
    assert sorted(r.outcome for r in results) == ["done", "done", "done"]
    assert (scheduler._records.commits, scheduler._records.writes) == (1, 3)


async def test_an_outcome_waiting_for_its_commit_at_a_crash_is_sent_again_with_its_nonce(
    store: Store, clock: ManualClock
) -> None:
    handler = Sends()
    scheduler = Scheduler(store, clock, record_linger=3600)
    scheduler.register(handler)
    async with store.transaction() as conn:
        for key in ("a", "slow"):
            await scheduler.put_job(conn, handler.kind, key, {})
    clock.set(START + timedelta(hours=1))
    rush = asyncio.create_task(scheduler.run_due())
    while len(handler.nonces) < 2:  # noqa: ASYNC110 - waiting for the handlers to start
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    # The process dies here: "a" was sent, its outcome not yet committed.
    rush.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await rush
    assert scheduler._records._flusher is not None
    scheduler._records._flusher.cancel()  # what kill -9 does to the commit that was waiting
    first = dict(handler.nonces)

    restarted = Scheduler(store, clock)
    after = Sends()
    after.release.set()
    restarted.register(after)
    clock.advance(timedelta(seconds=20))
    assert await restarted.recover() == (2, 0)
    await restarted.run_due()
    assert dict(after.nonces) == first  # the same nonces: Discord answers with the first post
    for key in ("a", "slow"):
        assert await restarted.run_status(handler.kind, key, "2026-03-02T13") == "done"


async def test_the_wake_up_follows_a_jump_of_the_injected_clock(
    store: Store, clock: ManualClock
) -> None:
    """A ManualClock moved forward past a due instant: the sleeping loop (a 300 s safety tick)
    runs the job at once when told the clock moved, without anyone calling run_due."""
    soon = Once("once")
    scheduler = Scheduler(store, clock, tick_seconds=300)
    scheduler.register(soon)
    async with store.transaction() as conn:
        await scheduler.put_job(
            conn, soon.kind, "x", {"at": (START + timedelta(hours=1)).isoformat()}
        )
    await scheduler.start()
    try:
        await asyncio.sleep(0.1)
        assert soon.ran == []
        clock.set(START + timedelta(hours=1, seconds=1))
        scheduler.clock_moved()
        for _ in range(100):
            if soon.ran:
                break
            await asyncio.sleep(0.02)
        assert soon.ran == ["once"]
    finally:
        await scheduler.stop()


async def test_housekeeping_runs_hourly_by_the_injected_clock(
    store: Store, clock: ManualClock
) -> None:
    handler = Hourly()
    scheduler = await make(store, clock, handler)
    scheduler.history = timedelta(days=7)
    clock.set(START + timedelta(hours=1))
    await scheduler.run_due()
    await scheduler.start()  # prunes at once: nothing is old enough yet
    try:
        await asyncio.sleep(0.3)  # that first pruning is over; the next is an hour away
        assert len(await store.fetchall("SELECT 1 FROM job_runs")) == 1
        clock.set(START + timedelta(days=8))  # the next hourly pruning is long overdue
        scheduler.clock_moved()
        for _ in range(100):
            if not await store.fetchall(
                "SELECT 1 FROM job_runs WHERE occurrence = ?", ("2026-03-02T13",)
            ):
                break
            await asyncio.sleep(0.02)
        rows = await store.fetchall("SELECT occurrence FROM job_runs")
        assert "2026-03-02T13" not in [r["occurrence"] for r in rows]
    finally:
        await scheduler.stop()
