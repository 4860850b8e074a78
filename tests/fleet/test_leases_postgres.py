"""The shard leases and the scoped claim on PostgreSQL: the same rules as on SQLite, with two
stores (two connections, as two processes have) on one database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.db import Store
from bot.fleet.leases import LeaseRefused, ShardLeases, all_leases

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _leases(store: Store, clock: ManualClock, shards: tuple[int, ...], holder: str) -> ShardLeases:
    return ShardLeases(store, clock, shards=shards, shard_count=4, lease_seconds=30, holder=holder)


async def test_leases_on_postgresql_refuse_an_overlap_and_free_when_expired(pg_url: str) -> None:
    clock = ManualClock(START)
    async with await Store.open(pg_url) as one, await Store.open(pg_url) as two:
        a = _leases(one, clock, (0, 1), "host-a:1:x")
        await a.acquire()
        with pytest.raises(LeaseRefused, match="host-a:1:x"):
            await _leases(two, clock, (1, 2), "host-b:2:y").acquire()
        b = _leases(two, clock, (2, 3), "host-b:2:y")
        await b.acquire()
        assert b.processes == 2
        clock.set(START + timedelta(seconds=31))
        assert await b.renew()
        assert b.orphaned == (0, 1)
        # a's expired rows were removed by b's look; b gives its own back at its stop.
        assert {lease.holder for lease in await all_leases(one)} == {"host-b:2:y"}
        await b.release()
        assert await all_leases(one) == []


async def test_the_scoped_claim_on_postgresql_takes_each_server_s_post_once(
    pg_url: str,
) -> None:
    from bot.scheduling import Scheduler
    from bot.scheduling.scope import ClaimScope
    from tests.helpers.fleet import COUNT, Daily, guild_on

    clock = ManualClock(START)
    async with await Store.open(pg_url) as one, await Store.open(pg_url) as two:
        a, b = Scheduler(one, clock), Scheduler(two, clock)
        posts_a, posts_b = Daily("test.post", per_guild=True), Daily("test.post", per_guild=True)
        a.register(posts_a)
        b.register(posts_b)
        async with one.transaction() as conn:
            for shard in range(COUNT):
                await a.put_job(conn, "test.post", str(guild_on(shard)), {})
        clock.set(datetime(2026, 3, 3, 0, 5, tzinfo=UTC))  # inside the hour of grace
        a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
        b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3), orphaned=(0, 1))
        await b.run_due()
        await a.run_due()
        assert sorted(posts_b.ran) == sorted(str(guild_on(s)) for s in range(COUNT))
        assert posts_a.ran == []


def test_check_on_postgresql_shows_who_holds_which_shards(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from bot.cli.check import check
    from bot.settings import Settings

    async def hold() -> None:
        async with await Store.open(pg_url) as store:
            await _leases(store, ManualClock(datetime.now(UTC)), (0, 1), "host-a:7:z").acquire()

    asyncio.run(hold())
    settings = Settings.load(
        {"REBOUND_DATA_DIR": str(tmp_path / "state"), "DATABASE_URL": pg_url},
        env_file=tmp_path / "none.env",
    )
    check(settings)
    assert "host-a:7:z: shards 0-1 of 4, live" in capsys.readouterr().out


async def test_two_starts_at_once_with_different_shard_counts_let_one_in(pg_url: str) -> None:
    """Disjoint shards, different counts, the same instant: the check and the take are one
    step (the lease transaction runs alone among writers), so exactly one process gets in."""
    import asyncio

    clock = ManualClock(START)
    async with await Store.open(pg_url) as one, await Store.open(pg_url) as two:
        for attempt in range(8):
            a = ShardLeases(one, clock, shards=(0, 1), shard_count=4, lease_seconds=30,
                            holder=f"host-a:1:{attempt}")  # fmt: skip
            b = ShardLeases(two, clock, shards=(2,), shard_count=3, lease_seconds=30,
                            holder=f"host-b:2:{attempt}")  # fmt: skip
            got = await asyncio.gather(a.acquire(), b.acquire(), return_exceptions=True)
            refused = [r for r in got if isinstance(r, LeaseRefused)]
            assert len(refused) == 1 and "--shard-count" in str(refused[0]), got
            assert {lease.shard_count for lease in await all_leases(one)} in ({3}, {4})
            await a.release()
            await b.release()
            assert await all_leases(one) == []
