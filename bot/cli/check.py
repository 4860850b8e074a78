"""`python -m bot check`: settings, content, time zones, the database and the secret key,
inspected without changing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot import __version__
from bot.anonymity import key_check
from bot.clock import SystemClock
from bot.content import Content, ContentError
from bot.db.connection import load_migrations
from bot.db.key_check import KeyMatch, compare, read_key_check
from bot.fleet.leases import Lease, describe_leases
from bot.scheduling.model import to_epoch
from bot.secret_key import current_secret_key, key_source
from bot.settings import Settings, SettingsError
from bot.timekeeping import canonical_timezones
from bot.timekeeping.zone_data import zone_data_summary


def check(settings: Settings) -> int:
    problems = 0
    print(f"Rebound {__version__}")
    print("Settings: OK")
    for key, value in settings.describe().items():
        print(f"  {key}: {value}")
    if not settings.discord_token:
        print("  note: DISCORD_TOKEN is not set; `run` will explain where to get it.")

    try:
        content = Content.load(settings.content_dir)
    except ContentError as exc:
        problems += 1
        print(f"Content: PROBLEM — {exc}")
    else:
        print("Content: OK")
        for feature, summary in content.summary().items():
            print(f"  {feature}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))

    print(
        f"Time zones: {zone_data_summary()}, names and rules from the package only "
        f"({len(canonical_timezones())} zones offered)."
    )
    if settings.database_url:
        from bot.cli.postgres import check_database

        problems += check_database(settings.database_url)
        _show_fleet_postgresql(settings.database_url)
    else:
        problems += _check_database(settings.db_path)
        _show_fleet(settings.db_path)
    problems += _check_secret_key(settings)
    print("All good." if problems == 0 else f"{problems} problem(s) found.")
    return 0 if problems == 0 else 1


def _check_secret_key(settings: Settings) -> int:
    """Where the key is, and whether it is the database's; reads only, shows no key material."""
    try:
        key = current_secret_key(settings)
    except SettingsError as exc:
        print(f"Secret key: PROBLEM — {exc}")
        return 1
    source = key_source(settings)
    if key is None:
        print(f"Secret key: not created yet; the first run creates {source} (mode 0600).")
        return 0
    db = settings.db_path
    if settings.database_url:
        from bot.cli.postgres import recorded_key_check

        recorded = recorded_key_check(settings.database_url)
    else:
        recorded = read_key_check(db, immutable=False) if db.exists() else None
    match = compare(recorded, key_check(key))
    problems = 0
    if match is KeyMatch.DIFFERS:
        problems = 1
        print(f"Secret key: PROBLEM — {source} is not the key the database was made with.")
    elif match is KeyMatch.MATCHES:
        print(f"Secret key: OK — {source}, the key the database was made with.")
    else:
        print(f"Secret key: {source} (the database records no key yet; the next start does).")
    if source not in ("REBOUND_SECRET_KEY", str(settings.secret_key_file)):
        print(f"  note: the next start moves the key to {settings.secret_key_file}.")
    elif settings.key_file_in_data_dir:
        print("  note: it is inside the data folder, so one copy of that folder holds both.")
    return problems


def _check_database(path: Path) -> int:
    """Inspect without changing anything: read-only, no migrations applied."""
    latest = load_migrations()[-1][0]
    if not path.exists():
        print(f"Database: not created yet at {path}; the first run creates it (schema {latest}).")
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        print(f"Database: PROBLEM — {path} could not be read ({exc}).")
        return 1
    if version > latest:
        print(f"Database: PROBLEM — schema {version} is newer than this code knows ({latest}).")
        return 1
    if integrity != "ok":
        print(f"Database: PROBLEM — integrity check says: {integrity}")
        return 1
    pending = latest - version
    note = f", {pending} migration(s) will apply on the next run" if pending else ""
    print(f"Database: OK — {path}, schema {version}{note}.")
    return 0


def _show_fleet(path: Path) -> None:
    """Which process holds which shards (bot/fleet), from the database's leases; reads only."""
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT shard, shard_count, holder, expires_at FROM shard_leases ORDER BY shard"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # an older schema: no leases yet
    for line in describe_leases(
        [Lease(shard, count, holder, 0, expires) for shard, count, holder, expires in rows],
        to_epoch(SystemClock().now()),
    ):
        print(line)


def _show_fleet_postgresql(url: str) -> None:
    """The same from a PostgreSQL database: one read, no migration, nothing changed."""
    import asyncio

    import asyncpg

    async def read() -> list[Lease]:
        conn = await asyncpg.connect(url)
        try:
            rows = await conn.fetch(
                "SELECT shard, shard_count, holder, expires_at FROM shard_leases ORDER BY shard"
            )
        finally:
            await conn.close()
        return [Lease(r[0], r[1], r[2], 0, r[3]) for r in rows]

    try:
        leases = asyncio.run(read())
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"Shards: the leases could not be read ({type(exc).__name__}).")
        return
    for line in describe_leases(leases, to_epoch(SystemClock().now())):
        print(line)
