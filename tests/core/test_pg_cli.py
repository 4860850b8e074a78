"""`migrate-store`, `check` and `backup` on PostgreSQL, as an operator runs them (child
processes), against the test session's PostgreSQL server (tests/helpers/postgres.py)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.db import Store
from bot.feature_migrations import migrate_every_feature
from tests.harness import running_bot
from tests.helpers import postgres
from tests.helpers.cli import run_cli

pytestmark = pytest.mark.slow


async def _sqlite_install(path: Path) -> None:
    """An SQLite install with rows in tables of several kinds (ids, text, NULLs, keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    async with await Store.open(path) as store:
        await migrate_every_feature(store)
    async with await Store.open(path) as store, store.transaction() as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('marker', 'from sqlite')")
        for n in range(1, 4):
            await conn.execute(
                "INSERT INTO affirmation_custom (guild_id, text, normalized, created_at, number) "
                "VALUES (?, ?, ?, ?, ?)",
                (1234567890123456789, f"Rest is okay {n}.", f"rest is okay {n}", 1_700_000_000, n),
            )
        await conn.execute(
            "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
            "VALUES ('affirmations.guild', '1234567890123456789', '{}', 1700000000, 'x')"
        )
        await conn.execute(
            "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, "
            "finished_at, detail, attempts) VALUES ('a', 'b', 'c', 'done', 1, 2, NULL, "
            "'it''s fine', 1)"
        )


async def test_migrate_store_copies_checks_and_refuses_a_second_time(tmp_path: Path) -> None:
    await _sqlite_install(tmp_path / "state" / "rebound.db")
    url = await postgres.server().fresh_database(empty=True)

    moved = run_cli(tmp_path, "migrate-store", "--to", url)
    assert moved.returncode == 0, moved.stderr
    assert "Checked row for row" in moved.stdout

    async with await Store.open(url) as store:
        marker = await store.fetchone("SELECT value FROM meta WHERE key = 'marker'")
        assert marker is not None and marker[0] == "from sqlite"
        rows = await store.fetchall("SELECT id, guild_id, text FROM affirmation_custom ORDER BY id")
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (n, 1234567890123456789, f"Rest is okay {n}.") for n in range(1, 4)
        ]
        run = await store.fetchone("SELECT detail, finished_at FROM job_runs")
        assert run is not None and (run[0], run[1]) == ("it's fine", None)
        # New rows get new ids: the identity continues after the copied ones.
        async with store.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO affirmation_custom (guild_id, text, normalized, created_at, number) "
                "VALUES (1, 'New.', 'new', 1, 1) RETURNING id"
            )
            added = await cursor.fetchone()
        assert added is not None and added[0] == 4

    again = run_cli(tmp_path, "migrate-store", "--to", url)
    assert again.returncode == 1
    assert "not empty" in again.stderr and "Nothing was copied" in again.stderr


async def test_migrate_store_refuses_what_is_not_a_postgresql_url(tmp_path: Path) -> None:
    await _sqlite_install(tmp_path / "state" / "rebound.db")
    refused = run_cli(tmp_path, "migrate-store", "--to", "mysql://nope")
    assert refused.returncode == 2
    assert "postgresql://" in refused.stderr


async def test_check_and_backup_say_what_they_do_on_postgresql(tmp_path: Path) -> None:
    url = await postgres.server().fresh_database()
    checked = run_cli(tmp_path, "check", DATABASE_URL=url)
    assert "Database: OK — PostgreSQL" in checked.stdout, checked.stdout + checked.stderr
    assert "DATABASE_URL: postgresql://" in checked.stdout

    dump = tmp_path / "rebound.dump"
    backed = run_cli(tmp_path, "backup", "--to", str(dump), DATABASE_URL=url)
    assert backed.returncode == 0, backed.stdout + backed.stderr
    assert "pg_dump" in backed.stdout and "pg_restore" in backed.stdout
    assert dump.stat().st_size > 0
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    restore = run_cli(tmp_path, "restore", str(dump), DATABASE_URL=url)
    assert restore.returncode == 1
    assert "pg_restore" in restore.stderr


async def test_a_bot_moved_to_postgresql_keeps_what_its_members_did(
    world: Any, tmp_path: Path
) -> None:
    """The real bot on SQLite (three days of check-ins), `migrate-store`, then the real bot on
    the PostgreSQL copy: the member's streak is there, and the next day's check-in counts."""
    start = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    state = tmp_path / "state"
    # database_url="": SQLite even when the session runs on PostgreSQL (REBOUND_TEST_STORE).
    async with running_bot(world.fake, data_dir=state, now=start, database_url="") as app:
        for day in range(3):
            if day:
                await app.advance(days=1)
            await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert app.store.dialect == "sqlite"
    url = await postgres.server().fresh_database(empty=True)
    moved = run_cli(tmp_path, "migrate-store", "--to", url)
    assert moved.returncode == 0, moved.stderr
    later = start + timedelta(days=3)
    async with running_bot(world.fake, data_dir=state, now=later, database_url=url) as app:
        assert app.store.dialect == "postgresql"
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        shown = await world.fake.invoke(world.alice, world.channel, "streak show")
        (embed,) = shown.embeds
        assert "**Current streak:** 4 days" in embed["description"]
