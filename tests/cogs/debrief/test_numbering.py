"""A member's debriefs are numbered 1, 2, 3 ... even when one member saves several at the same
instant, on SQLite and on PostgreSQL (REBOUND_TEST_STORE=postgresql runs this file there),
from one store and from two (two processes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

import cogs.debrief
from bot.db import Store
from cogs.debrief.repository import DebriefRepository
from tests.helpers import postgres

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
OWNER = "owner-pseudonym"
BURST = 12
MIGRATIONS = Path(cogs.debrief.__file__).parent / "migrations"


@pytest.fixture
async def two_stores(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    """Two stores on one database, as two processes of the bot would have."""
    from bot.feature_migrations import migrate_every_feature

    target: str | Path = tmp_path / "rebound.db"
    if postgres.on_postgres():
        target = await postgres.server().fresh_database()
    first = await Store.open(target)
    await migrate_every_feature(first)
    second = await Store.open(target)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        if isinstance(target, str):
            await postgres.server().drop(target)


async def _numbers(store: Store, owner: str = OWNER) -> list[int]:
    rows = await store.fetchall(
        "SELECT seq FROM debrief_entries WHERE owner = ? ORDER BY seq", (owner,)
    )
    return [int(r[0]) for r in rows]


async def _save_in_a_block(store: Store, entry_id: str, owner: str = OWNER) -> None:
    async with store.transaction() as conn:
        await DebriefRepository(store).add_entry(conn, entry_id, owner, "sealed", NOW)


async def _save_in_a_body(store: Store, entry_id: str) -> None:
    async def body(conn: aiosqlite.Connection) -> None:
        await DebriefRepository(store).add_entry(conn, entry_id, OWNER, "sealed", NOW)

    await store.run(body)


async def test_a_burst_of_saves_by_one_member_is_numbered_without_a_gap(store: Store) -> None:
    await asyncio.gather(*(_save_in_a_block(store, f"e{i}") for i in range(BURST)))
    assert await _numbers(store) == list(range(1, BURST + 1))


async def test_saves_as_retried_bodies_are_numbered_without_a_gap(store: Store) -> None:
    await asyncio.gather(*(_save_in_a_body(store, f"e{i}") for i in range(BURST)))
    assert await _numbers(store) == list(range(1, BURST + 1))


async def test_saves_from_two_processes_at_once_never_collide(
    two_stores: tuple[Store, Store],
) -> None:
    first, second = two_stores
    saves = [
        saver(store, f"{store_no}-{kind}-{i}")
        for store_no, store in enumerate((first, second))
        for kind, saver in (("block", _save_in_a_block), ("body", _save_in_a_body))
        for i in range(BURST // 2)
    ]
    await asyncio.gather(*saves)
    assert await _numbers(first) == list(range(1, 2 * BURST + 1))


async def test_each_member_has_their_own_numbers(store: Store) -> None:
    await asyncio.gather(
        *(_save_in_a_block(store, f"{who}{i}", owner=who) for who in "ab" for i in range(3))
    )
    assert await _numbers(store, "a") == [1, 2, 3]
    assert await _numbers(store, "b") == [1, 2, 3]


async def test_a_journal_written_before_the_counter_continues_after_its_last_number(
    store: Store,
) -> None:
    """Entries numbered by the older MAX(seq) + 1 (no counter): migration 0002 carries on."""
    for seq in (1, 2, 3):
        await store.execute(
            "INSERT INTO debrief_entries (entry_id, owner, seq, sealed, created_at, updated_at) "
            "VALUES (?, ?, ?, 'sealed', 1, 1)",
            (f"old{seq}", OWNER, seq),
        )
    await store.execute("DELETE FROM debrief_members WHERE owner = ?", (OWNER,))
    migration = (MIGRATIONS / "0002_debrief_numbering.sql").read_text()
    backfill = migration[migration.index("INSERT INTO") :]
    await store.execute(backfill)
    await _save_in_a_block(store, "new")
    assert await _numbers(store) == [1, 2, 3, 4]
