from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.db import Connection, DatabaseTooNewError, Store
from bot.db.connection import load_migrations


async def test_new_database_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "new.db") as store:
        assert await store.schema_version() == load_migrations()[-1][0]
        tables = {r["name"] for r in await store.fetchall("SELECT name FROM sqlite_master")}
    assert {"meta", "scheduled_jobs", "job_runs"} <= tables


@pytest.mark.sqlite_only
async def test_pragmas_are_wal_foreign_keys_and_busy_timeout(store: Store) -> None:
    assert (await store.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    assert (await store.fetchone("PRAGMA busy_timeout"))[0] >= 1000  # type: ignore[index]


@pytest.mark.sqlite_only
async def test_tables_are_strict(store: Store) -> None:
    rows = await store.fetchall("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
    ours = {r["name"]: r["strict"] for r in rows if not r["name"].startswith("sqlite_")}
    assert ours and all(ours.values()), ours


async def test_database_newer_than_the_code_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    async with await Store.open(path):
        pass
    future = load_migrations()[-1][0] + 1
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {future}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseTooNewError, match="newer version"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == future
    conn.close()


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    async with await Store.open(path) as store:
        await store.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    async with await Store.open(path) as store:
        row = await store.fetchone("SELECT value FROM meta WHERE key = 'k'")
    assert row is not None and row["value"] == "v"


async def test_transaction_rolls_back_when_the_block_raises(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('gone', 'x')")
            raise RuntimeError("boom")
    assert await store.fetchone("SELECT 1 FROM meta WHERE key = 'gone'") is None


async def test_strict_tables_reject_wrong_types(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await store.execute(
            "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
            "VALUES ('k', 'x', '{}', 'not a number', 'o')"
        )


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [n for n, _, _ in load_migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


async def test_run_is_a_whole_transaction_and_rolls_back_on_error(store: Store) -> None:
    async def insert(conn: Connection, key: str, fail: bool) -> int:
        await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (key,))
        if fail:
            raise ValueError("no")
        cursor = await conn.execute("SELECT COUNT(*) FROM meta WHERE key = ?", (key,))
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    assert await store.run(insert, "kept", False) == 1
    with pytest.raises(ValueError):
        await store.run(insert, "dropped", True)
    keys = {r["key"] for r in await store.fetchall("SELECT key FROM meta")}
    assert "kept" in keys and "dropped" not in keys


async def test_run_takes_an_async_body_written_for_transaction(store: Store) -> None:
    import aiosqlite

    async def body(conn: aiosqlite.Connection, key: str) -> tuple[int, list[str]]:
        cursor = await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (key,))
        changed = cursor.rowcount
        cursor = await conn.execute("SELECT key FROM meta WHERE key = ?", (key,))
        row = await cursor.fetchone()
        rows = await conn.execute_fetchall("SELECT key FROM meta WHERE key = ?", (key,))
        assert row is not None
        return changed, [row["key"], *(r["key"] for r in rows)]

    assert await store.run(body, "inline") == (1, ["inline", "inline"])

    async def fails(conn: aiosqlite.Connection) -> None:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('rolled back', 'v')")
        raise LookupError("changed its mind")

    with pytest.raises(LookupError):
        await store.run(fails)
    assert await store.fetchone("SELECT 1 FROM meta WHERE key = 'rolled back'") is None


@pytest.mark.sqlite_only
async def test_run_refuses_a_body_that_awaits_anything_else(store: Store) -> None:
    import asyncio

    import aiosqlite

    async def sleeps(conn: aiosqlite.Connection) -> None:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('slept', 'v')")
        await asyncio.sleep(0)  # suspends: not allowed on SQLite's thread

    with pytest.raises(RuntimeError, match="awaited something other"):
        await store.run(sleeps)
    assert await store.fetchone("SELECT 1 FROM meta WHERE key = 'slept'") is None
    # the store still works afterwards
    assert await store.fetchone("SELECT 1") is not None


async def test_checkins_move_to_a_without_rowid_table_unchanged(tmp_path: Path) -> None:
    """Migration 0009 on a database with check-ins in it: the rows survive, the table is
    WITHOUT ROWID, and it still refuses what its checks refuse."""
    path = tmp_path / "before.db"
    conn = sqlite3.connect(path)
    script = "".join(f"{sql}\nPRAGMA user_version = {n};\n" for n, _, sql in load_migrations()[:8])
    conn.executescript(script)
    row = (1, 2, "2026-03-02", 3, 1, None, "Two calls.", "Europe/Berlin", 0, 10, 11)
    conn.execute("INSERT INTO streak_checkins VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()
    async with await Store.open(path) as store:
        kept = await store.fetchall("SELECT * FROM streak_checkins")
        assert [tuple(r) for r in kept] == [row]
        info = await store.fetchone(
            "SELECT wr, strict FROM pragma_table_list WHERE name = 'streak_checkins'"
        )
        assert info is not None and (info["wr"], info["strict"]) == (1, 1)
        with pytest.raises(sqlite3.IntegrityError):
            await store.execute(
                "INSERT INTO streak_checkins VALUES (1, 2, '2026-03-03', 101, 0, 0, NULL, "
                "'UTC', 0, 1, 1)"
            )


async def test_read_only_transactions_see_one_snapshot_in_both_forms(store: Store) -> None:
    await store.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")

    async def body(conn: Any, key: str) -> str | None:
        cursor = await conn.execute("SELECT value FROM meta WHERE key = ?", (key,))
        row = await cursor.fetchone()
        return None if row is None else str(row["value"])

    assert await store.run_read(body, "k") == "v"
    async with store.transaction(read_only=True) as conn:
        assert await body(conn, "k") == "v"


def test_the_store_reaches_into_aiosqlite_only_through_its_driver() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in sorted((root / "bot").rglob("*.py")) + sorted((root / "cogs").rglob("*.py"))
        if path.name != "sqlite.py"
        and re.search(
            r"\b(conn|connection)\._(execute|conn|connection|iter_chunk_size)\b", path.read_text()
        )
    ]
    assert offenders == []
