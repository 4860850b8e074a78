"""A fleet process claims the due work of its own shards' servers and of no server, leaves a
live neighbour's servers to it, and takes an orphaned shard's servers (bot.scheduling.scope)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import Scheduler
from bot.scheduling.scope import ClaimScope
from tests.helpers.fleet import COUNT, Daily, guild_on

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def _fleet_of_two(store: Store) -> tuple[Scheduler, Scheduler, Daily, Daily, ManualClock]:
    clock = ManualClock(START)
    a, b = Scheduler(store, clock), Scheduler(store, clock)
    post_a, post_b = Daily("test.post", per_guild=True), Daily("test.post", per_guild=True)
    dm_a, dm_b = Daily("test.dm", per_guild=False), Daily("test.dm", per_guild=False)
    a.register(post_a)
    a.register(dm_a)
    b.register(post_b)
    b.register(dm_b)
    async with store.transaction() as conn:
        for shard in range(COUNT):
            await a.put_job(conn, "test.post", str(guild_on(shard)), {})
        await a.put_job(conn, "test.dm", "member-1", {})
    clock.set(datetime(2026, 3, 3, 0, 5, tzinfo=UTC))
    return a, b, post_a, post_b, clock


async def test_each_process_claims_its_own_shards_servers_and_leaves_the_others(
    store: Store,
) -> None:
    a, b, post_a, post_b, _ = await _fleet_of_two(store)
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3))
    await a.run_due()
    assert sorted(post_a.ran) == sorted(str(guild_on(s)) for s in (0, 1))
    await b.run_due()
    assert sorted(post_b.ran) == sorted(str(guild_on(s)) for s in (2, 3))


async def test_work_of_no_server_goes_to_whichever_process_claims_first_once(
    store: Store,
) -> None:
    a, b, _, _, _ = await _fleet_of_two(store)
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3))
    results = [r for s in (b, a) for r in await s.run_due() if r.run.kind == "test.dm"]
    assert [r.outcome for r in results] == ["done"]


async def test_a_live_neighbour_s_servers_are_not_claimed_but_an_orphaned_shard_s_are(
    store: Store,
) -> None:
    a, _, post_a, _, _ = await _fleet_of_two(store)
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    await a.run_due()
    assert len(post_a.ran) == 2
    # The process of shards 2-3 is gone past its lease: a takes its servers' due posts.
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1), orphaned=(2, 3))
    await a.run_due()
    assert sorted(post_a.ran) == sorted(str(guild_on(s)) for s in range(COUNT))


async def test_next_wake_ignores_work_a_live_neighbour_holds(store: Store) -> None:
    a, _, _, _, clock = await _fleet_of_two(store)
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1))
    await a.run_due()
    nxt = await a.next_due_at()
    # Shards 2 and 3's posts are due now but not a's: its next wake is tomorrow's own work.
    assert nxt is not None and nxt > clock.now()


async def test_the_same_occurrence_is_claimed_once_by_two_overlapping_scopes(
    store: Store,
) -> None:
    a, b, post_a, post_b, _ = await _fleet_of_two(store)
    a.scope_of_claims = lambda: ClaimScope(COUNT, own=(0, 1), orphaned=(2, 3))
    b.scope_of_claims = lambda: ClaimScope(COUNT, own=(2, 3), orphaned=(0, 1))
    await a.run_due()
    await b.run_due()
    assert sorted(post_a.ran + post_b.ran) == sorted(str(guild_on(s)) for s in range(COUNT))


async def test_runs_a_crashed_process_left_claimed_are_sent_again_by_a_live_one(
    store: Store,
) -> None:
    from bot.fleet.leases import ShardLeases
    from bot.fleet.start import join
    from bot.pacing import Pacer
    from bot.scheduling import jobs

    a, b, _, post_b, clock = await _fleet_of_two(store)
    la = ShardLeases(store, clock, shards=(0, 1), shard_count=COUNT, lease_seconds=30,
                     holder="host-a:1:x")  # fmt: skip
    lb = ShardLeases(store, clock, shards=(2, 3), shard_count=COUNT, lease_seconds=30,
                     holder="host-b:2:y")  # fmt: skip
    await la.acquire()
    await lb.acquire()
    join(la, _NoBot(), a, Pacer(45), 45)
    join(lb, _NoBot(), b, Pacer(45), 45)
    await la.renew()  # a sees b
    # a claims its servers' posts and dies before sending them (kill -9).
    claimed, _ = await store.run(
        jobs.claim, clock.now(), 8, {"test.post": post_b}, la.scope(), la.holder
    )
    assert len(claimed) == 2
    # b restarting now would not touch a's runs: a's lease is live, they are in flight.
    async with store.transaction() as conn:
        assert await b.recover_in(conn) == (0, 0)
    clock.set(clock.now() + timedelta(seconds=31))
    assert await lb.renew()  # a's lease is over: b sends again what a left
    await b.run_due()
    assert sorted(post_b.ran) == sorted(str(guild_on(s)) for s in range(COUNT))


class _NoBot:
    first_claim_delay = 0.0

    async def close(self) -> None:
        raise AssertionError("no lease was lost")
