"""The secret key: where it lives, how it is made, and how to tell it belongs to a database.

By default it is never in the data folder (`<data folder>-key/secret.key`, or
`REBOUND_SECRET_KEY`), so one copy of the data folder never holds both. Why, and the key check
the database records: docs/design.md, "The secret key".
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.files import FILE_MODE, private_dir
from bot.settings import Settings, SettingsError

__all__ = [
    "LEGACY_KEY_FILE_NAME",
    "current_secret_key",
    "key_source",
    "load_or_create_secret_key",
]

log = logging.getLogger(__name__)

LEGACY_KEY_FILE_NAME = "secret.key"  # where Rebound kept the key before: in the data folder
MIN_KEY_LENGTH = 32


def _legacy_path(settings: Settings) -> Path:
    return settings.data_dir / LEGACY_KEY_FILE_NAME


def _read(path: Path) -> bytes:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise SettingsError(f"The secret key file {path} is damaged (too short).")
    return key.encode("ascii")


def _write_new(path: Path, key: bytes) -> None:
    """Write ``key`` to a new file, 0600 from the first byte, durably (file, then folder)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.write(fd, key + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _move_out_of_data_folder(settings: Settings) -> None:
    """Move a key an older Rebound kept in the data folder to the key file (once)."""
    legacy, path = _legacy_path(settings), settings.secret_key_file
    if legacy == path or not legacy.exists():
        return
    old = _read(legacy)
    if path.exists():
        if _read(path) != old:
            raise SettingsError(
                f"There are two different secret keys, {legacy} (in the data folder) and {path}. "
                "Keep the one the database was made with (`python -m bot check` tells), move the "
                "other away, and start again."
            )
    else:
        _write_new(path, old)  # a copy first: a crash here leaves two equal files, not none
    legacy.unlink()
    log.warning(
        "Moved the secret key out of the data folder to %s, so a copy of the data folder no "
        "longer holds it; back it up separately",
        path,
    )


def load_or_create_secret_key(settings: Settings) -> bytes:
    """The key that pseudonymises authors and encrypts stored identifiers.

    From REBOUND_SECRET_KEY if set; otherwise read from, or on first run created at,
    ``settings.secret_key_file`` (0600, in a 0700 folder outside the data folder). The key itself
    is never logged.
    """
    if settings.secret_key:
        if _legacy_path(settings).exists():
            # Not ours to move (the environment's key is in use), but it is a key in the data
            # folder: one copy of that folder would hold both.
            log.warning(
                "A key file sits in the data folder (%s) though REBOUND_SECRET_KEY is in use; "
                "move it out of the data folder (or delete it if it is not needed)",
                _legacy_path(settings),
            )
        return settings.secret_key.encode("utf-8")
    _move_out_of_data_folder(settings)
    path = settings.secret_key_file
    if path.exists():
        return _read(path)
    key = secrets.token_hex(32).encode("ascii")
    _write_new(path, key)
    log.warning(
        "No REBOUND_SECRET_KEY was set, so a new secret key was created at %s (mode 0600). "
        "Back it up, apart from the database: without it, anonymous authors can no longer "
        "reply as OP.",
        path,
    )
    return key


def current_secret_key(settings: Settings) -> bytes | None:
    """The key a start would use, without creating or moving anything; None if there is none."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    for path in (settings.secret_key_file, _legacy_path(settings)):
        if path.exists():
            return _read(path)
    return None


def key_source(settings: Settings) -> str:
    """Where the key comes from, in words for the operator ("REBOUND_SECRET_KEY", a path)."""
    if settings.secret_key:
        return "REBOUND_SECRET_KEY"
    legacy = _legacy_path(settings)
    if not settings.secret_key_file.exists() and legacy.exists():
        return str(legacy)
    return str(settings.secret_key_file)
