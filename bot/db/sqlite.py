"""The SQLite driver behind :class:`bot.db.Store`: one aiosqlite connection and its thread.

aiosqlite runs every statement on a thread of its own and hands back one result per hop. Two
things it has no public API for are what makes a transaction one round trip: running a whole
function on that thread (:meth:`SQLiteDriver.on_thread`), and giving an ``async def`` body the
aiosqlite API over the raw connection without hopping (:func:`inline_connection`). Both use
aiosqlite internals (``Connection._execute``, ``_conn``, ``_iter_chunk_size``), here and nowhere
else; :func:`check_internals` fails loudly at start-up if an aiosqlite upgrade moved them.
A server database (PostgreSQL) would be another driver with the same four operations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


def check_internals(conn: aiosqlite.Connection) -> None:
    """The aiosqlite internals this driver relies on are where it expects them."""
    found = (
        callable(getattr(aiosqlite.Connection, "_execute", None)),
        isinstance(getattr(aiosqlite.Connection, "_conn", None), property),
        isinstance(getattr(conn, "_iter_chunk_size", None), int),
        hasattr(conn, "_running") and hasattr(conn, "_connection"),
    )
    if not all(found):
        raise RuntimeError(
            f"aiosqlite {aiosqlite.__version__} is not laid out as bot/db/sqlite.py expects; "
            "update the driver for it"
        )


class _InlineConnection(aiosqlite.Connection):
    """aiosqlite's API over its own sqlite3 connection, for a transaction body that already runs
    on SQLite's thread: each statement runs at once, with no hop.

    aiosqlite's connection and cursors send every call through ``Connection._execute``; here it
    calls the function directly, so ``await conn.execute(...)``, ``await cursor.fetchone()`` and
    the rest complete without ever suspending. The repositories' code runs unchanged."""

    def __init__(self, raw: sqlite3.Connection, iter_chunk_size: int) -> None:
        # Not aiosqlite's __init__: no thread of its own; it borrows the store's connection.
        self._running = True
        self._connection = raw
        self._iter_chunk_size = iter_chunk_size

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    def __del__(self) -> None:
        pass  # the connection belongs to the store, which closes it


def drive(body: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (it awaits only an inline connection) to its end."""
    try:
        body.send(None)
    except StopIteration as finished:
        result: T = finished.value
        return result
    body.close()
    raise RuntimeError(
        "A Store.run body awaited something other than its connection (another store call, "
        "Discord, a sleep); it runs on SQLite's thread, where nothing else can be awaited"
    )


class SQLiteDriver:
    """One aiosqlite connection (autocommit: the Store issues BEGIN and COMMIT itself)."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    @classmethod
    async def connect(cls, target: str) -> SQLiteDriver:
        conn = await aiosqlite.connect(target, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            check_internals(conn)
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if target != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # An acknowledgement ("checked in", "saved") promises the write survives a power cut,
            # not only a crash: FULL syncs the WAL at each commit (~0.5 ms, benchmarks/README.md).
            await conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            await conn.close()
            raise
        return cls(conn)

    async def close(self) -> None:
        await self.connection.close()

    async def on_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(raw)` on the connection's thread, with its raw sqlite3 connection: one hop.
        aiosqlite runs queued functions in order, so it cannot interleave with another."""
        conn = self.connection
        result: T = await conn._execute(lambda: work(conn._conn))
        return result

    def inline(self, raw: sqlite3.Connection) -> aiosqlite.Connection:
        """The aiosqlite API over `raw`, for a body already on the connection's thread."""
        return _InlineConnection(raw, self.connection._iter_chunk_size)
