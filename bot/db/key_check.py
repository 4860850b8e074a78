"""The database's record of which secret key it was made with (``meta.secret_key_check``).

The value is ``bot.anonymity.key_check(key)``: it tells whether a key matches and reveals
nothing else. Recorded on the first start with a key; never overwritten afterwards, so a start
with another key is noticed (and logged) instead of silently adopted.
"""

from __future__ import annotations

import enum
import sqlite3
from pathlib import Path

from bot.db.connection import Store

__all__ = ["KEY_CHECK", "KeyMatch", "compare", "read_key_check", "record_or_compare"]

KEY_CHECK = "secret_key_check"


class KeyMatch(enum.Enum):
    MATCHES = "matches"
    DIFFERS = "differs"
    UNKNOWN = "unknown"  # the database records no key check (made before it existed)


def compare(recorded: str | None, check: str) -> KeyMatch:
    if recorded is None:
        return KeyMatch.UNKNOWN
    return KeyMatch.MATCHES if recorded == check else KeyMatch.DIFFERS


async def record_or_compare(store: Store, check: str) -> KeyMatch:
    """Record ``check`` if the database has none yet (then UNKNOWN), else compare with it."""
    async with store.transaction() as conn:
        cursor = await conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,))
        row = await cursor.fetchone()
        if row is None:
            await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (KEY_CHECK, check))
            return KeyMatch.UNKNOWN
    return compare(str(row[0]), check)


def read_key_check(path: Path, *, immutable: bool) -> str | None:
    """The recorded check of a database file, read only. ``immutable`` for a file nobody writes
    (a backup: not even a -wal/-shm appears beside it); not for a live database, whose latest
    writes may still be in its -wal file."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(f"file:{path.resolve()}?{flags}", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])
