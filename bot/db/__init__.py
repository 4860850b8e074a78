"""The SQLite store: one connection, forward-only migrations, a transaction helper."""

from bot.db.connection import DatabaseTooNewError, Store

__all__ = ["DatabaseTooNewError", "Store"]
