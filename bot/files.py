"""The data folder and the files in it are private to the user running the bot.

The database holds pseudonyms and sealed author ids; the key and backups unlock or copy them.
Folder 0700, files 0600 (SQLite creates its -wal and -shm files with the database's mode).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

__all__ = ["private_dir", "private_file"]

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


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:  # someone else's folder (say /var/lib): leave it, say so
        log.warning("Could not make %s private (mode %o); check its permissions", path, mode)
