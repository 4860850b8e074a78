"""The store: one connection API, forward-only migrations, one transaction style
(bot.db.connection), on SQLite by default or on PostgreSQL (bot.db.postgres).

`Connection` is what a transaction body and a repository receive; repositories annotate with
it rather than with the driver's own type.
"""

import aiosqlite

from bot.db.connection import (
    DatabaseTooNewError,
    SQLiteStore,
    Store,
    is_postgres_url,
    lock_rows,
    must_retry,
)

#: The connection inside a transaction: aiosqlite's API (SQLite's driver; the PostgreSQL
#: driver's connection offers the same methods and is typed as a subclass of it).
Connection = aiosqlite.Connection

__all__ = [
    "Connection",
    "DatabaseTooNewError",
    "SQLiteStore",
    "Store",
    "is_postgres_url",
    "lock_rows",
    "must_retry",
]
