"""The store: one connection, forward-only migrations, one transaction style (bot.db.connection).

`Connection` is what a transaction body and a repository receive; repositories annotate with
it rather than with the driver's own type.
"""

import aiosqlite

from bot.db.connection import DatabaseTooNewError, Store

#: The connection inside a transaction (today aiosqlite's API, from the SQLite driver).
Connection = aiosqlite.Connection

__all__ = ["Connection", "DatabaseTooNewError", "Store"]
