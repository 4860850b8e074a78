"""A feature's own tables: the numbered SQL files in its `migrations/` folder, applied forward
only, tracked per feature (in `meta`), each file in one transaction with the number it records.

Files are named `NNNN_<what it creates>.sql` (numbers from 0001, no gaps) and hold portable SQL
(no SQLite-only syntax), so a second store driver can run them too. The core's own migrations stay
in bot/db/migrations.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.db import Store
    from bot.features import Feature

log = logging.getLogger(__name__)

FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# Where the number of a feature's last applied migration is kept (the core's `meta` table).
META_KEY = "feature_schema:{feature}"


class FeatureMigrationError(RuntimeError):
    """A feature's migrations folder is out of sequence or a file does not run."""


@dataclass(frozen=True, slots=True)
class Migration:
    feature: str
    number: int
    name: str
    statements: tuple[str, ...]


def statements(script: str) -> tuple[str, ...]:
    """The statements of a SQL script, one by one (comments and blank lines dropped)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines():
        if not current and (not line.strip() or line.strip().startswith("--")):
            continue
        current += line + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        raise FeatureMigrationError(f"an unfinished statement: {current.strip()[:60]!r}")
    return tuple(out)


def migrations_of(feature: Feature) -> list[Migration]:
    folder: Path = feature.migrations
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = FILE_NAME.match(path.name)
        if match is None:
            continue
        found.append(
            Migration(
                feature.name,
                int(match.group(1)),
                path.name,
                statements(path.read_text(encoding="utf-8")),
            )
        )
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise FeatureMigrationError(
                f"{feature.name}: migration {migration.name} is out of sequence; expected "
                f"number {expected:04d}"
            )
    return found


async def applied(store: Store, feature: str) -> int:
    """The number of the feature's last applied migration (0: none yet)."""
    row = await store.fetchone(
        "SELECT value FROM meta WHERE key = ?", (META_KEY.format(feature=feature),)
    )
    return int(row["value"]) if row else 0


async def migrate(store: Store, features: Sequence[Feature]) -> list[str]:
    """Apply every feature's pending migrations; the names applied, as "feature/file"."""
    done: list[str] = []
    for feature in features:
        key = META_KEY.format(feature=feature.name)
        current = await applied(store, feature.name)
        for migration in migrations_of(feature):
            if migration.number <= current:
                continue
            async with store.transaction() as conn:
                # Read again under the write lock: another process starting at the same moment
                # (a fleet on one PostgreSQL) may have applied it since.
                cursor = await conn.execute("SELECT value FROM meta WHERE key = ?", (key,))
                row = await cursor.fetchone()
                current = int(row[0]) if row else 0
                if migration.number <= current:
                    continue
                for statement in migration.statements:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, str(migration.number)),
                )
            done.append(f"{feature.name}/{migration.name}")
    if done:
        log.info("Feature tables migrated (%s)", ", ".join(done))
    return done


async def migrate_every_feature(store: Store) -> list[str]:
    """:func:`migrate` for every feature found under cogs/ (tools and tests that use the tables
    without starting the bot; the bot migrates the features it loads)."""
    from bot.features import discover

    return await migrate(store, discover())
