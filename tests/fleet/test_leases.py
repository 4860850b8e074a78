"""Shard leases (bot/fleet/leases.py): taken, refused, renewed, expired, released."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.db import Store
from bot.fleet import budget
from bot.fleet.leases import LeaseRefused, ShardLeases, all_leases

# Read once at import (not in the async test): the kernel's highest pid.
PID_MAX = int(Path("/proc/sys/kernel/pid_max").read_text())
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _process(
    store: Store,
    clock: ManualClock,
    shards: tuple[int, ...] | None,
    count: int | None = 4,
    *,
    holder: str | None = None,
) -> ShardLeases:
    return ShardLeases(
        store,
        clock,
        shards=shards,
        shard_count=count if shards is not None else None,
        lease_seconds=30,
        holder=holder or f"elsewhere:{1000 + len(shards or ())}:{id(shards):x}",
    )


async def test_two_processes_take_disjoint_shards_and_see_each_other(store: Store) -> None:
    clock = ManualClock(START)
    a, b = _process(store, clock, (0, 1)), _process(store, clock, (2, 3), holder="other:2:b")
    await a.acquire()
    assert a.orphaned == (2, 3)
    await b.acquire()
    assert b.orphaned == () and b.processes == 2
    assert [lease.shard for lease in await all_leases(store)] == [0, 1, 2, 3]


async def test_an_overlapping_shard_is_refused_and_names_the_holder(store: Store) -> None:
    clock = ManualClock(START)
    await _process(store, clock, (0, 1), holder="host-a:1:x").acquire()
    with pytest.raises(LeaseRefused, match="host-a:1:x"):
        await _process(store, clock, (1, 2), holder="host-b:2:y").acquire()


async def test_a_different_shard_count_is_refused(store: Store) -> None:
    clock = ManualClock(START)
    await _process(store, clock, (0, 1), holder="host-a:1:x").acquire()
    with pytest.raises(LeaseRefused, match="shard-count 4"):
        await _process(store, clock, (2, 3), 8, holder="host-b:2:y").acquire()


async def test_a_single_process_and_a_fleet_refuse_each_other(store: Store) -> None:
    clock = ManualClock(START)
    single = _process(store, clock, None, holder="host-a:1:x")
    await single.acquire()
    with pytest.raises(LeaseRefused, match="single-process"):
        await _process(store, clock, (0,), holder="host-b:2:y").acquire()
    await single.release()
    await _process(store, clock, (0,), holder="host-b:2:y").acquire()
    with pytest.raises(LeaseRefused, match="fleet"):
        await _process(store, clock, None, holder="host-c:3:z").acquire()


async def test_an_expired_lease_is_free_and_its_shards_orphaned_until_taken(
    store: Store,
) -> None:
    clock = ManualClock(START)
    a = _process(store, clock, (0, 1), holder="host-a:1:x")
    b = _process(store, clock, (2, 3), holder="host-b:2:y")
    await a.acquire()
    await b.acquire()
    clock.set(START + timedelta(seconds=20))
    assert await a.renew()  # b does not renew: it is gone
    assert a.orphaned == ()
    clock.set(START + timedelta(seconds=31))
    assert await a.renew()
    assert a.orphaned == (2, 3) and a.processes == 1
    await _process(store, clock, (2, 3), holder="host-c:3:z").acquire()
    assert not await b.renew()  # b came back too late: it must stop


async def test_a_dead_process_on_this_host_is_taken_over_at_once(store: Store) -> None:
    import socket

    clock = ManualClock(START)
    # Above the kernel's pid limit: no process can have it (as after a kill -9).
    gone = PID_MAX + 1
    dead = f"{socket.gethostname()}:{gone}:old"
    await _process(store, clock, (0, 1), holder=dead).acquire()
    # It had promised to lend its pace (bot.fleet.budget): the promise was its own, not the
    # shards', so its successor must not be counted as lending.
    await store.execute("UPDATE shard_leases SET idle_until = ?", (int(START.timestamp()) + 15,))
    fresh = _process(store, clock, (0, 1), holder=f"{socket.gethostname()}:1:new")
    fresh_holder = fresh.holder
    await fresh.acquire()
    leases = await all_leases(store)
    assert {lease.holder for lease in leases} == {fresh_holder}
    assert {lease.idle_until for lease in leases} == {0}


def test_check_shows_which_process_holds_which_shards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    import time

    from bot.cli.check import check
    from bot.settings import Settings
    from tests.helpers.cli import make_rebound_db

    settings = Settings.load(
        {"REBOUND_DATA_DIR": str(tmp_path / "state")}, env_file=tmp_path / "none.env"
    )
    make_rebound_db(settings.db_path)
    now = int(time.time())
    conn = sqlite3.connect(settings.db_path)
    conn.executemany(
        "INSERT INTO shard_leases VALUES (?, 4, ?, ?, ?, 0)",
        [
            (0, "host-a:10:x", now, now + 50),
            (1, "host-a:10:x", now, now + 50),
            (2, "host-b:20:y", now - 100, now - 40),
        ],
    )
    conn.commit()
    conn.close()
    check(settings)
    out = capsys.readouterr().out
    assert "host-a:10:x: shards 0-1 of 4, live" in out
    assert "host-b:20:y: shards 2 of 4, expired" in out


async def test_shares_of_the_rate_never_add_up_past_the_limit(store: Store) -> None:
    clock = ManualClock(START)
    a = _process(store, clock, (0, 1), holder="host-a:1:x")
    await a.acquire()
    # Alone at first: shards 2-3 were never seen held (not up yet), so a keeps its half.
    assert a.share == 0.5
    b = _process(store, clock, (2, 3), holder="host-b:2:y")
    await b.acquire()
    await a.renew()
    assert a.share == b.share == 0.5
    clock.set(START + timedelta(seconds=20))
    await a.renew()
    clock.set(START + timedelta(seconds=31))  # b is gone: a takes over its part
    await a.renew()
    assert a.share == 1.0


def _sharing(store: Store, clock: ManualClock, shards: tuple[int, ...], holder: str) -> ShardLeases:
    return ShardLeases(
        store, clock, shards=shards, shard_count=4, lease_seconds=30, holder=holder,
        budget="shared",
    )  # fmt: skip


async def test_an_idle_process_lends_its_part_until_its_promise_and_renews_it(
    store: Store,
) -> None:
    clock = ManualClock(START)
    a = _sharing(store, clock, (0, 1), "host-a:1:x")
    b = _sharing(store, clock, (2, 3), "host-b:2:y")
    await a.acquire()
    await b.acquire()
    await a.renew()
    clock.set(START + timedelta(seconds=5))  # both past their start-up caution
    assert a.plan(50).rate == b.plan(50).rate == 25.0
    now = START.timestamp() + 5
    a.note_next_work(None)  # a's morning is out; nothing more today
    assert a.promise == now + budget.PROMISE_SECONDS
    assert a.plan(50).rate == 2.5 and a.plan(50).then == 25.0  # its pacer first
    await asyncio.gather(*a._promise_writes)
    assert {lease.idle_until for lease in await all_leases(store) if lease.holder == a.holder} == {
        int(a.promise)
    }
    await b.poll()
    lent = b.plan(50)
    assert lent.rate == 25.0 + 22.5 and lent.then == 25.0
    assert lent.until == a.promise - budget.MARGIN_SECONDS
    # Still idle at a's next look: the promise moves on, and b sees it at its next poll.
    clock.set(START + timedelta(seconds=10))
    await a.renew()
    await b.poll()
    assert b.plan(50).until == now + 5 + budget.PROMISE_SECONDS - budget.MARGIN_SECONDS
    # Work again soon: a stops renewing (its promise stands until it ends) ...
    a.note_next_work(now + 7)
    clock.set(START + timedelta(seconds=12))
    await a.renew()
    await b.poll()
    assert b.plan(50).rate == 25.0  # the look wrote no promise: b stops borrowing at once
    assert a.plan(50).rate == 2.5  # a keeps its word until the end it gave
    clock.set(datetime.fromtimestamp(a.promise, UTC))
    assert a.plan(50).rate == 25.0


async def test_a_fixed_budget_lends_nothing(store: Store) -> None:
    clock = ManualClock(START)
    a = _process(store, clock, (0, 1), holder="host-a:1:x")
    await a.acquire()
    a.note_next_work(None)
    assert a.promise == 0 and a.plan(50).rate == 25.0
