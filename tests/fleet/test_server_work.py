"""Every job of a server records its server, so its shard's process claims it first: whatever
the feature (not only affirmations and roundups), pending retries included; work of no server
(a member's DM) stays anyone's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Outcome, RetryLater, Scheduler
from bot.scheduling.events import Event
from bot.scheduling.scope import ClaimScope
from tests.harness import running_bot
from tests.helpers.fleet import COUNT, Daily, guild_on
from tests.helpers.stories import configure, share, story_world

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
BACKFILL = (
    Path(__file__).resolve().parents[2]
    / "cogs/accountability/migrations/0002_weekly_jobs_name_their_server.sql"
)
MORNING = datetime(2026, 3, 3, 0, 5, tzinfo=UTC)
_COGS = Path(__file__).resolve().parents[2] / "cogs"
#: The features' backfills of the server of jobs put before jobs recorded it (read at import).
BACKFILLS = [
    (_COGS / path).read_text()
    for path in (
        "affirmations/migrations/0002_guild_posts_name_their_server.sql",
        "encouragement/migrations/0002_roundups_name_their_server.sql",
        "stories/migrations/0004_story_posts_name_their_server.sql",
    )
]


class FlakyDaily(Daily):
    """Fails its first try at each server (RetryLater, one minute), then posts."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind, per_guild=True)
        self.tried: set[str] = set()

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        if run.key not in self.tried:
            self.tried.add(run.key)
            raise RetryLater("Discord had a moment", after=timedelta(minutes=1))
        return await super().run(run)


class NoServerSaid(Daily):
    """A handler with no `guild_of` (the server comes with `put_job`)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind, per_guild=False)

    guild_of = None  # type: ignore[assignment]


async def _guild_of_job(store: Store, kind: str, key: str) -> int | None:
    row = await store.fetchone(
        "SELECT guild_id FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key)
    )
    assert row is not None
    return None if row[0] is None else int(row[0])


async def test_a_pending_retry_stays_with_its_shard_s_process(store: Store) -> None:
    clock = ManualClock(START)
    one, a, b = Scheduler(store, clock), Scheduler(store, clock), Scheduler(store, clock)
    flaky, post_a, post_b = (
        FlakyDaily("test.post"),
        FlakyDaily("test.post"),
        Daily("test.post", per_guild=True),
    )
    one.register(flaky)
    a.register(post_a)
    b.register(post_b)
    async with store.transaction() as conn:
        for shard in range(COUNT):
            await one.put_job(conn, "test.post", str(guild_on(shard)), {})
    clock.set(MORNING)
    results = await one.run_due()  # every post fails once: four pending retries
    assert sorted(r.outcome for r in results) == ["pending"] * COUNT
    clock.set(MORNING + timedelta(minutes=2))
    post_a.tried = set(flaky.tried)  # a's next try posts
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3))
    await a.run_due()
    assert sorted(post_a.ran) == sorted(str(guild_on(s)) for s in (0, 1))
    await b.run_due()
    assert sorted(post_b.ran) == sorted(str(guild_on(s)) for s in (2, 3))


async def test_a_retry_of_an_orphaned_shard_is_taken_and_the_next_wake_counts_own_only(
    store: Store,
) -> None:
    clock = ManualClock(START)
    one, a = Scheduler(store, clock), Scheduler(store, clock)
    flaky, post_a = FlakyDaily("test.post"), FlakyDaily("test.post")
    one.register(flaky)
    a.register(post_a)
    async with store.transaction() as conn:
        await one.put_job(conn, "test.post", str(guild_on(2)), {})
    clock.set(MORNING)
    await one.run_due()
    post_a.tried = set(flaky.tried)
    clock.set(MORNING + timedelta(minutes=2))
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    nxt = await a.next_due_at()
    assert nxt is None  # shard 2's retry (and its next run) are a live neighbour's
    assert await a.run_due() == []
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1), orphaned=(2,))
    await a.run_due()
    assert post_a.ran == [str(guild_on(2))]


async def test_a_job_put_with_its_server_keeps_it_through_its_claims(store: Store) -> None:
    clock = ManualClock(START)
    a, b = Scheduler(store, clock), Scheduler(store, clock)
    job_a, job_b = NoServerSaid("test.weekly"), NoServerSaid("test.weekly")
    a.register(job_a)
    b.register(job_b)
    guild = guild_on(2)
    async with store.transaction() as conn:
        await a.put_job(conn, "test.weekly", "sub-1", {}, guild_id=guild)
    assert await _guild_of_job(store, "test.weekly", "sub-1") == guild
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3))
    clock.set(MORNING)
    await a.run_due()
    await b.run_due()
    assert (job_a.ran, job_b.ran) == ([], ["sub-1"])
    # The claim moved it to tomorrow and kept its server (the handler says none).
    assert await _guild_of_job(store, "test.weekly", "sub-1") == guild


async def test_an_event_about_a_server_s_thing_is_that_server_s_work(store: Store) -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(store, clock)

    class Subscriber:
        kind = "test.opened"
        event = "test.posted"
        grace = timedelta(hours=1)

        async def handle(self, event: Event, run: DueRun) -> tuple[Outcome, str | None]:
            return "done", None

    scheduler.events.subscribe(Subscriber())
    async with store.transaction() as conn:
        await scheduler.events.emit(conn, "test.posted", "s1", {"guild_id": guild_on(3)})
        await scheduler.events.emit(conn, "test.posted", "dm1", {"story_id": 4})
    assert await _guild_of_job(store, "test.opened", "s1") == guild_on(3)
    assert await _guild_of_job(store, "test.opened", "dm1") is None


async def test_story_posts_their_threads_and_weekly_check_ins_record_their_server(
    world: Any, tmp_path: Any
) -> None:
    w = story_world(world)
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await configure(w, max_delay=60)
        answer = await share(w, w.alice)
        assert answer.ephemeral
        rows = await app.store.fetchall(
            "SELECT kind, guild_id FROM scheduled_jobs WHERE kind = 'stories.post'"
        )
        assert [(r[0], r[1]) for r in rows] == [("stories.post", w.guild.id)]
        await app.advance(minutes=2)  # posted; the thread is the encouragement feature's job
        runs = await app.store.fetchall(
            "SELECT kind, guild_id FROM job_runs WHERE status = 'done' ORDER BY kind"
        )
        assert {str(r[0]): r[1] for r in runs} == {
            "encouragement.story_thread": w.guild.id,
            "stories.post": w.guild.id,
        }
        joined = await world.fake.invoke(
            w.alice, w.channel, "accountability join", day=0, time="09:00"
        )
        assert joined.ephemeral
        rows = await app.store.fetchall(
            "SELECT guild_id FROM scheduled_jobs WHERE kind = 'accountability.weekly'"
        )
        assert [r[0] for r in rows] == [w.guild.id]


async def test_weekly_check_ins_put_before_get_their_server_at_the_upgrade(store: Store) -> None:
    from bot.feature_migrations import statements

    sql = BACKFILL.read_text()
    async with store.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO accountability_subscriptions (guild_id, user_id, weekday, post_time, "
            "timezone, active, created_at, updated_at) VALUES (?, 5, 0, '09:00', 'UTC', 1, 1, 1) "
            "RETURNING id",
            (guild_on(1),),
        )
        row = await cursor.fetchone()
        assert row is not None
        for key, kind in ((str(row[0]), "accountability.weekly"), ("member-1", "test.dm")):
            await conn.execute(
                "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
                "VALUES (?, ?, '{}', 1, 'x')",
                (kind, key),
            )
        for statement in statements(sql):
            await conn.execute(statement)
    assert await _guild_of_job(store, "accountability.weekly", str(row[0])) == guild_on(1)
    assert await _guild_of_job(store, "test.dm", "member-1") is None


async def test_server_posts_roundups_and_story_posts_put_before_get_their_server(
    store: Store,
) -> None:
    """The features' backfills (affirmations 0002, encouragement 0002, stories 0004): jobs put
    before jobs recorded their server get it at the upgrade; others are left alone."""
    from bot.feature_migrations import statements

    big = guild_on(1) + (1 << 40)  # a real server id needs more than 32 bits
    async with store.transaction() as conn:
        await conn.execute(
            "INSERT INTO stories (public_id, guild_id, author, status, body, stage, created_at) "
            "VALUES ('s-waiting', ?, 'pseudonym', 'scheduled', 'text', 'final', 1)",
            (big,),
        )
        for kind, key in (
            ("affirmations.guild", str(big)),
            ("encouragement.roundup", str(guild_on(0))),
            ("stories.post", "s-waiting"),
            ("stories.post", "s-gone"),  # its story was deleted: stays anyone's
            ("affirmations.dm", "member-1"),  # a member's DM: work of no server
        ):
            await conn.execute(
                "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
                "VALUES (?, ?, '{}', 1, 'x')",
                (kind, key),
            )
        for sql in BACKFILLS:
            for statement in statements(sql):
                await conn.execute(statement)
    assert await _guild_of_job(store, "affirmations.guild", str(big)) == big
    assert await _guild_of_job(store, "encouragement.roundup", str(guild_on(0))) == guild_on(0)
    assert await _guild_of_job(store, "stories.post", "s-waiting") == big
    assert await _guild_of_job(store, "stories.post", "s-gone") is None
    assert await _guild_of_job(store, "affirmations.dm", "member-1") is None
