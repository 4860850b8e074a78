"""Migration files are named for what they create, and a rename is safe for existing databases.

Only a migration's number is tracked (`PRAGMA user_version`); its file name is read at start to
order the files and to log what was applied, and never stored. So a database made when 0003 and
0004 were called `0003_engine.sql` and `0004_house.sql` opens exactly as before.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.db import Store
from bot.db.connection import load_migrations

# Words that name a stretch of our own work, not what a migration creates.
WORK_WORDS = {"engine", "house", "round", "pillar", "rush", "issue", "fixes", "misc"}


def test_migration_files_are_named_for_what_they_create() -> None:
    from bot.features import discover

    names = [name for _, name, _ in load_migrations()]
    names += [path.name for f in discover() for path in sorted(f.migrations.glob("*.sql"))]
    assert len(names) > len(load_migrations())
    for name in names:
        words = set(re.sub(r"^\d{4}_|\.sql$", "", name).split("_"))
        assert not words & WORK_WORDS, f"{name}: name it for the tables or columns it adds"


def _database_at(path: Path, version: int) -> None:
    """The database an older Rebound left at `version`, with a row in tables 0003 and 0004
    made (job_runs' retry columns, guild_settings)."""
    conn = sqlite3.connect(path)
    script = "".join(
        f"{sql}\nPRAGMA user_version = {n};\n" for n, _, sql in load_migrations()[:version]
    )
    conn.executescript(script)
    conn.execute(
        "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, attempts, "
        "retry_at) VALUES ('affirmations.guild', '1', '2026-03-02', 'pending', 10, 10, 1, 40)"
    )
    conn.execute(
        "INSERT INTO guild_settings (guild_id, default_timezone, created_at, updated_at) "
        "VALUES (1, 'Europe/Berlin', 10, 10)"
    )
    conn.commit()
    conn.close()


async def test_a_database_from_before_the_rename_opens_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "before-rename.db"
    _database_at(path, 4)
    async with await Store.open(path) as store:
        assert await store.schema_version() == load_migrations()[-1][0]
        run = await store.fetchone("SELECT status, attempts, retry_at FROM job_runs")
        zone = await store.fetchone("SELECT default_timezone FROM guild_settings")
    assert run is not None and tuple(run) == ("pending", 1, 40)
    assert zone is not None and zone["default_timezone"] == "Europe/Berlin"


async def test_a_database_at_the_latest_version_opens_with_nothing_to_apply(
    tmp_path: Path,
) -> None:
    path = tmp_path / "current.db"
    _database_at(path, load_migrations()[-1][0])
    async with await Store.open(path) as store:
        assert await store.schema_version() == load_migrations()[-1][0]
        kept = await store.fetchone("SELECT COUNT(*) FROM guild_settings")
    assert kept is not None and kept[0] == 1


async def test_the_database_never_records_a_migration_file_name(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "new.db") as store:
        tables = [
            str(r["name"])
            for r in await store.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            for row in await store.fetchall(f'SELECT * FROM "{table}"'):
                assert not any(isinstance(v, str) and ".sql" in v for v in tuple(row)), table
