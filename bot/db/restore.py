"""Putting a backup back: check it first, keep what it replaces, swap files atomically.

Used by `python -m bot restore FILE` while holding the data folder's run lock. The four steps
and why each is needed: docs/design.md, "Restoring a backup".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.db.connection import load_migrations
from bot.files import new_private_file, private_umask

SQLITE_HEADER = b"SQLite format 3\x00"
CORE_TABLES = frozenset({"meta", "scheduled_jobs", "job_runs"})


class RestoreError(ValueError):
    """The file cannot be restored; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    schema_version: int
    latest_version: int
    tables: int

    @property
    def pending_migrations(self) -> int:
        return self.latest_version - self.schema_version


def _open_immutable(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.resolve()}?mode=ro&immutable=1", uri=True)


def inspect_backup(path: Path) -> BackupInfo:
    """Everything restore checks before it touches anything; raises RestoreError."""
    if not path.is_file():
        raise RestoreError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise RestoreError(f"{path} is not a SQLite database (its header is wrong).")
    latest = load_migrations()[-1][0]
    try:
        conn = _open_immutable(path)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"{path} could not be read as a database ({exc}).") from None
    if problems != ["ok"]:
        raise RestoreError(
            f"{path} failed SQLite's integrity check: {'; '.join(map(str, problems[:3]))}."
        )
    if version == 0 or not tables >= CORE_TABLES:
        raise RestoreError(f"{path} is a SQLite file, but not a Rebound database.")
    if version > latest:
        raise RestoreError(
            f"{path} is at schema version {version}, newer than this Rebound knows ({latest}). "
            "Upgrade Rebound first, then restore."
        )
    return BackupInfo(path, version, latest, len(tables))


def _copy(source: sqlite3.Connection, destination: Path) -> None:
    """Copy into a new file that is 0600 before its first byte (side files included)."""
    new_private_file(destination)
    with private_umask():
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    fd = os.open(destination, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_backup(backup: Path, db_path: Path, keep_dir: Path, stamp: str) -> Path | None:
    """Replace `db_path` with `backup` (already inspected). Returns where the replaced
    database was kept, or None if there was none. The caller holds the run lock."""
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = db_path.with_name(db_path.name + ".restoring")
    staging.unlink(missing_ok=True)
    source = _open_immutable(backup)
    try:
        _copy(source, staging)
    finally:
        source.close()

    kept: Path | None = None
    if db_path.exists():
        keep_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        kept = keep_dir / f"rebound-before-restore-{stamp}.db"
        current = sqlite3.connect(db_path)  # not read-only: a leftover WAL is read and kept
        try:
            _copy(current, kept)
        finally:
            current.close()

    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + suffix).unlink()
    os.replace(staging, db_path)
    return kept
