"""`python -m bot migrate-store` carries the fleet's columns and tables over: a schedule's and a
run's server, a run's claimer, the shard leases and the command sync's claim (in-process: the
same function the command line runs)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli.migrate_store import migrate_store
from bot.db import Store
from bot.settings import Settings
from tests.helpers import postgres
from tests.helpers.fleet import guild_on


async def _install_with_fleet_rows(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    async with await Store.open(path) as store, store.transaction() as conn:
        await conn.execute(
            "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence, guild_id) "
            "VALUES ('stories.post', 's1', '{}', 1700000000, '1', ?)",
            (guild_on(3),),
        )
        await conn.execute(
            "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, "
            "attempts, retry_at, claimed_by, guild_id) "
            "VALUES ('stories.post', 's0', '1', 'pending', 1, 2, 1, 3, 'host-a:1:x', ?)",
            (guild_on(2),),
        )
        await conn.execute(
            "INSERT INTO shard_leases (shard, shard_count, holder, acquired_at, expires_at) "
            "VALUES (1, 4, 'host-a:1:x', 10, 70)"
        )
        await conn.execute(
            "INSERT INTO meta (key, value) VALUES ('commands_sync:7:global:abc', '1700000300')"
        )


def test_migrate_store_copies_the_fleet_s_columns_and_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_install_with_fleet_rows(tmp_path / "state" / "rebound.db"))
    settings = Settings.load(
        {"REBOUND_DATA_DIR": str(tmp_path / "state")}, env_file=tmp_path / "none.env"
    )

    url = asyncio.run(postgres.server().fresh_database(empty=True))
    try:
        _moved_with_its_fleet_rows(settings, url, capsys)
    finally:
        asyncio.run(postgres.server().drop(url))


def _moved_with_its_fleet_rows(
    settings: Settings, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert migrate_store(settings, url) == 0, capsys.readouterr().err
    assert "Checked row for row" in capsys.readouterr().out

    async def read() -> tuple[list[tuple[object, ...]], ...]:
        async with await Store.open(url) as store:
            jobs = await store.fetchall("SELECT key, guild_id FROM scheduled_jobs")
            runs = await store.fetchall("SELECT key, status, claimed_by, guild_id FROM job_runs")
            leases = await store.fetchall("SELECT shard, shard_count, holder FROM shard_leases")
            claims = await store.fetchall("SELECT value FROM meta WHERE key LIKE 'commands_sync%'")
        return tuple([tuple(r) for r in rows] for rows in (jobs, runs, leases, claims))

    jobs, runs, leases, claims = asyncio.run(read())
    assert jobs == [("s1", guild_on(3))]
    assert runs == [("s0", "pending", "host-a:1:x", guild_on(2))]
    assert leases == [(1, 4, "host-a:1:x")]
    assert claims == [("1700000300",)]
