"""`python -m bot migrate-store --to postgresql://...`: an SQLite install moved to PostgreSQL.

1. The target must be an empty database (no table in its schema): nothing is ever merged.
2. The SQLite database is brought up to date (its pending migrations, as a start would), then
   the target gets its schema from the same migrations (core and every feature's).
3. Every table is copied row for row (parents before the tables that reference them), and the
   identity columns are moved past the highest id copied, so new rows get new ids.
4. Every table is read back from both and compared: the row counts and every row's contents.

The bot must be stopped (the run lock of the data folder is held throughout). Afterwards set
``DATABASE_URL`` to the same URL and start the bot; the SQLite file is left as it was.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import asyncpg

from bot.db import Store, is_postgres_url
from bot.db.postgres import redact
from bot.runlock import AlreadyRunning, hold_run_lock
from bot.settings import Settings

# Tables only the SQLite side has (its own bookkeeping) or the PostgreSQL side keeps itself.
_NOT_COPIED = {"rebound_schema"}


class MigrateError(RuntimeError):
    """Nothing (more) was done; the message says why."""


def migrate_store(settings: Settings, target: str) -> int:
    if not is_postgres_url(target):
        print("--to takes a postgresql:// URL.", file=sys.stderr)
        return 2
    if not settings.db_path.exists():
        print(f"There is no SQLite database at {settings.db_path}: nothing to move.")
        return 1
    try:
        with hold_run_lock(settings.data_dir):
            report = asyncio.run(_migrate(settings, target))
    except AlreadyRunning as exc:
        print(
            f"Rebound is running on {settings.data_dir} (pid {exc.pid or 'unknown'}); stop it "
            "first, so no write is made after the copy. Nothing was copied.",
            file=sys.stderr,
        )
        return 1
    except MigrateError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for line in report:
        print(line)
    return 0


async def _migrate(settings: Settings, url: str) -> list[str]:
    await _require_empty(url)
    from bot import features
    from bot.feature_migrations import migrate as migrate_features

    every = list(features.discover())
    async with await Store.open(settings.db_path) as source:  # up to date first
        await migrate_features(source, every)
    async with await Store.open(url) as target:
        await migrate_features(target, every)
    tables = _source_tables(settings)
    raw = await asyncpg.connect(url)
    try:
        copied = await _copy(settings, raw, tables)
        await _bump_identities(raw)
        await _verify(settings, raw, tables)
    finally:
        await raw.close()
    rows = sum(copied.values())
    return [
        f"Copied {len(copied)} tables, {rows} rows, from {settings.db_path} to {redact(url)}.",
        "Checked row for row: every table has the same number of rows and the same rows on "
        "both sides.",
        f"Next: set DATABASE_URL={redact(url)} (with its password) and start the bot. The "
        "SQLite file was not changed; keep it as a backup.",
    ]


async def _require_empty(url: str) -> None:
    try:
        raw = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError) as exc:
        raise MigrateError(
            f"Could not connect to {redact(url)} ({type(exc).__name__}: {exc}). Nothing was copied."
        ) from exc
    try:
        found = await raw.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
    finally:
        await raw.close()
    if found:
        names = ", ".join(str(r[0]) for r in found[:5])
        raise MigrateError(
            f"The database at {redact(url)} is not empty (it has {len(found)} tables: {names}"
            f"{', ...' if len(found) > 5 else ''}). migrate-store only copies into an empty "
            "database, so nothing is ever merged or overwritten. Nothing was copied."
        )


def _source_tables(settings: Settings) -> list[str]:
    """The SQLite tables, each after the tables its foreign keys point to."""
    conn = sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)
    try:
        names = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        parents = {
            name: {str(r[2]) for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')}
            for name in names
        }
    finally:
        conn.close()
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name in path:
            return
        for parent in sorted(parents.get(name, ())):
            visit(parent, (*path, name))
        ordered.append(name)

    for name in names:
        visit(name, ())
    return [n for n in ordered if n not in _NOT_COPIED]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _read(settings: Settings, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)
    try:
        columns = _columns(conn, table)
        names = ", ".join(f'"{c}"' for c in columns)
        rows = [tuple(r) for r in conn.execute(f'SELECT {names} FROM "{table}"')]
    finally:
        conn.close()
    return columns, rows


async def _copy(
    settings: Settings, raw: asyncpg.Connection, tables: Sequence[str]
) -> dict[str, int]:
    copied: dict[str, int] = {}
    async with raw.transaction():
        for table in tables:
            columns, rows = _read(settings, table)
            await raw.execute(f'DELETE FROM "{table}"')  # what the migrations seeded (meta)
            if rows:
                await raw.copy_records_to_table(table, records=rows, columns=columns)
            copied[table] = len(rows)
    return copied


async def _bump_identities(raw: asyncpg.Connection) -> None:
    """Each identity column continues after the highest id copied into it."""
    found = await raw.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for table, column in found:
        await raw.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'
        )


def _key(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple((value is None, "" if value is None else value) for value in row)


async def _verify(settings: Settings, raw: asyncpg.Connection, tables: Sequence[str]) -> None:
    for table in tables:
        columns, rows = _read(settings, table)
        names = ", ".join(f'"{c}"' for c in columns)
        theirs = [tuple(r) for r in await raw.fetch(f'SELECT {names} FROM "{table}"')]
        if len(theirs) != len(rows):
            raise MigrateError(
                f"Check failed: {table} has {len(rows)} rows in SQLite but {len(theirs)} in "
                "PostgreSQL. Do not start the bot on the copy; empty it and run again."
            )
        if sorted(rows, key=_key) != sorted(theirs, key=_key):
            raise MigrateError(
                f"Check failed: {table} has rows whose contents differ between SQLite and "
                "PostgreSQL. Do not start the bot on the copy; empty it and run again."
            )
