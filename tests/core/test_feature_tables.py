"""Each feature creates its own tables (cogs/<feature>/migrations); the core only its own.

A new database starts from bot/db/core_tables.sql and runs each feature's 0001. A database made
before (by the core's numbered migrations, which then created every table) upgrades through
them, and 0017 records each feature as at its 0001 without running it. Both must end with the
same schema, the older one with every row and every run in flight as it was.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bot.db import Store
from bot.db.connection import CORE_TABLES_VERSION, load_migrations
from bot.feature_migrations import applied, migrate, migrate_every_feature, migrations_of
from bot.features import discover

CORE_TABLES = {
    "meta",
    "scheduled_jobs",
    "job_runs",
    "events",
    "guild_settings",
    "member_settings",
    "shard_leases",
}
# The features whose tables the core's migrations 0001-0016 created, which 0017 records as at
# their 0001 (features added since start from nothing on every database).
ADOPTED = {"accountability", "affirmations", "encouragement", "privacy", "stories", "streaks"}


def _beyond_adoption() -> list[str]:
    """The feature files an upgraded database still runs: all but the adopted 0001s."""
    return sorted(
        f"{f.name}/{m.name}"
        for f in discover()
        for m in migrations_of(f)
        if not (f.name in ADOPTED and m.number == 1)
    )


def _clauses(sql: str) -> tuple[str, tuple[str, ...], str]:
    """A CREATE statement as SQLite keeps it, normalised: comments, quotes and spacing dropped,
    and the parts between its outer parentheses as a sorted tuple (ALTER TABLE ADD COLUMN puts
    a column after the table's constraints; its place among the columns is checked apart)."""
    text = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    text = re.sub(r"\s+", " ", text.replace('"', "")).strip()
    text = re.sub(r"\s*([(),])\s*", r"\1", text)
    if "(" not in text or not text.upper().startswith("CREATE TABLE"):
        return text, (), ""
    head, rest = text.split("(", 1)
    depth, parts, current = 0, [], ""
    for i, char in enumerate(rest):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                parts.append(current)
                return head, tuple(sorted(parts)), rest[i + 1 :]
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    raise AssertionError(f"unbalanced: {sql}")


def schema_of(path: Path) -> dict[str, object]:
    """Every table and index: its normalised SQL, and for tables the columns in order."""
    conn = sqlite3.connect(path)
    try:
        found: dict[str, object] = {}
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ):
            columns = (
                [tuple(row) for row in conn.execute(f'PRAGMA table_xinfo("{name}")')]
                if kind == "table"
                else []
            )
            found[f"{kind} {name}"] = (_clauses(sql), columns)
        return found
    finally:
        conn.close()


def _database_at(path: Path, version: int) -> None:
    """The database a Rebound of schema `version` left (the core's migrations up to it)."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "".join(f"{sql}\nPRAGMA user_version = {n};\n" for n, _, sql in load_migrations()[:version])
    )
    conn.close()


async def _open_as_the_bot_does(path: Path) -> list[str]:
    async with await Store.open(path) as store:
        return await migrate_every_feature(store)


async def test_a_new_database_has_only_the_core_tables_until_the_features_run(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path / "new.db") as store:
        assert await store.schema_version() == load_migrations()[-1][0]
        rows = await store.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        assert {r["name"] for r in rows} == CORE_TABLES
        done = await migrate_every_feature(store)
    owners = {name.split("/")[0] for name in done}
    assert owners == ADOPTED | {"debrief"}


@pytest.mark.parametrize("version", [16, 8, 4, 1])
async def test_an_older_database_ends_with_the_schema_of_a_new_one(
    tmp_path: Path, version: int
) -> None:
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    await _open_as_the_bot_does(new)
    _database_at(old, version)
    # the adopted 0001s are not run again; only what came after them
    assert sorted(await _open_as_the_bot_does(old)) == _beyond_adoption()
    assert schema_of(old) == schema_of(new)


async def test_every_feature_is_recorded_at_its_first_migration_after_the_upgrade(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    _database_at(path, 16)
    async with await Store.open(path) as store:
        for feature in discover():
            expected = 1 if feature.name in ADOPTED else 0
            assert await applied(store, feature.name) == expected, feature.name
        # a feature's next file (a new table of its own) runs on the upgraded database
        stories = next(f for f in discover() if f.name == "stories")
        later = replace(stories, folder=tmp_path / "stories")
        later.migrations.mkdir(parents=True)
        for migration in stories.migrations.iterdir():
            (later.migrations / migration.name).write_text(migration.read_text())
        number = len(migrations_of(stories)) + 1
        (later.migrations / f"{number:04d}_story_extras.sql").write_text(
            "CREATE TABLE story_extras (story_id INTEGER PRIMARY KEY) STRICT;\n"
        )
        ran = await migrate(store, [later])
        assert ran[-1] == f"stories/{number:04d}_story_extras.sql"
        assert await applied(store, "stories") == number


async def test_an_upgrade_keeps_every_row_and_every_run_in_flight(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at(path, 16)
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        INSERT INTO stories (public_id, guild_id, author, status, body, stage, created_at, due_at)
            VALUES ('s1', 1, 'aa', 'scheduled', 'It went badly', 'Onsite', 10, 100);
        INSERT INTO scheduled_jobs VALUES ('stories.post', 's1', '{}', 100, '1');
        INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, attempts)
            VALUES ('stories.post', 's1', '1', 'claimed', 100, 100, 1);
        INSERT INTO streak_checkins (guild_id, user_id, local_date, timezone, created_at,
            updated_at) VALUES (1, 2, '2026-03-02', 'UTC', 10, 10);
        INSERT INTO affirmation_schedules (guild_id, channel_id, post_time, timezone, days_mask,
            created_at, updated_at) VALUES (1, 3, '08:00', 'UTC', 127, 10, 10);
        INSERT INTO server_presence (guild_id, joined_at) VALUES (1, 10);
        """
    )
    conn.commit()
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    columns = {
        t: ", ".join(f'"{c[1]}"' for c in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables
    }
    before = {t: sorted(conn.execute(f'SELECT {columns[t]} FROM "{t}"').fetchall()) for t in tables}
    conn.close()

    await _open_as_the_bot_does(path)

    # later migrations may add columns (0018: a job's server, a run's claimer); the ones that
    # were there keep every value
    conn = sqlite3.connect(path)
    after = {t: sorted(conn.execute(f'SELECT {columns[t]} FROM "{t}"').fetchall()) for t in tables}
    conn.close()
    before_meta = before.pop("meta")
    after_meta = after.pop("meta")
    assert after == before
    assert set(before_meta) < set(after_meta)  # only the features' versions were added
    assert before["job_runs"] == [
        ("stories.post", "s1", "1", "claimed", 100, 100, None, None, 1, None)
    ]


def test_the_core_keeps_no_feature_table_for_a_new_database() -> None:
    sql = (Path(load_migrations.__code__.co_filename).parent / "core_tables.sql").read_text()
    created = set(re.findall(r"CREATE TABLE (\w+)", sql))
    later = {
        name
        for number, _, text in load_migrations()
        if number > CORE_TABLES_VERSION
        for name in re.findall(r"CREATE TABLE (\w+)", text)
    }
    assert created | later == CORE_TABLES
