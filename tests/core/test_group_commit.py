"""Group commit (bot.db.group_commit) against a real SQLite store."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from bot.db import Connection, Store
from bot.db.group_commit import GroupCommit


async def _table(store: Store) -> None:
    await store.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY) STRICT")


def _insert(n: int) -> Callable[[Connection], Coroutine[Any, Any, None]]:
    async def write(conn: Connection) -> None:
        await conn.execute("INSERT INTO t (n) VALUES (?)", (n,))

    return write


async def _stored(store: Store) -> list[int]:
    return [r["n"] for r in await store.fetchall("SELECT n FROM t ORDER BY n")]


async def test_writes_that_arrive_together_share_one_commit(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=0.2)
    await asyncio.gather(*(group.write(_insert(n)) for n in range(10)))
    assert await _stored(store) == list(range(10))
    assert (group.commits, group.writes) == (1, 10)


async def test_a_failing_write_is_rolled_back_alone_and_its_caller_is_told(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=0.2)

    async def half_then_fail(conn: Connection) -> None:
        await conn.execute("INSERT INTO t (n) VALUES (100)")
        await conn.execute("INSERT INTO t (n) VALUES (1)")  # taken by another write: fails

    outcomes = await asyncio.gather(
        group.write(_insert(1)),
        group.write(half_then_fail),
        group.write(_insert(2)),
        return_exceptions=True,
    )
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], sqlite3.IntegrityError)
    assert await _stored(store) == [1, 2]  # 100 went with the failed write
    assert group.commits == 1


async def test_a_single_failing_write_changes_nothing(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=0.0)

    async def fail(conn: Connection) -> None:
        await conn.execute("INSERT INTO t (n) VALUES (5)")
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await group.write(fail)
    assert await _stored(store) == []


async def test_soon_commits_without_waiting_for_the_linger(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=3600)
    lingering = asyncio.create_task(group.write(_insert(1)))
    await asyncio.sleep(0.05)
    assert not lingering.done()  # waits for company
    await asyncio.wait_for(group.write(_insert(2), soon=True), timeout=10)
    await asyncio.wait_for(lingering, timeout=10)
    assert await _stored(store) == [1, 2]
    assert group.commits == 1


async def test_a_cancelled_caller_still_gets_its_write_committed_by_drain(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=3600)
    waiting = asyncio.create_task(group.write(_insert(7)))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.wait_for(group.drain(), timeout=10)
    assert await _stored(store) == [7]


async def test_a_full_batch_commits_at_once(store: Store) -> None:
    await _table(store)
    group = GroupCommit(store, linger=3600, max_batch=4)
    await asyncio.wait_for(asyncio.gather(*(group.write(_insert(n)) for n in range(4))), timeout=10)
    assert await _stored(store) == [0, 1, 2, 3]
