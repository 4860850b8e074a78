"""The data folder and the files in it are private to the user running the bot.

The database holds pseudonyms and sealed author ids; the key and backups unlock or copy them.
Folder 0700, files 0600 (SQLite creates its -wal, -shm and -journal files with the database's
mode). A copy we write (a backup, a restore's staging file) is created 0600 by us before SQLite
writes its first byte, never made private afterwards.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["new_private_file", "private_dir", "private_file", "private_umask"]

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; make it 0700 where we may."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing (never readable by others, not even for
    a moment), or tighten an existing one to 0600."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        _tighten(path, FILE_MODE)
    return path


def new_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600; FileExistsError if anything is there already.

    Exclusive creation, so a copy is private from its first byte and an existing file (or a
    link an attacker placed there) is never written through."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    return path


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files created inside are 0600 at most, SQLite's side files (-journal, -wal) included.

    The umask is process-wide: only for the command-line tools (backup, restore), never while
    the bot runs other work in threads."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:  # someone else's folder (say /var/lib): leave it, say so
        log.warning("Could not make %s private (mode %o); check its permissions", path, mode)
