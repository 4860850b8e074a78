"""One aiosqlite connection per process, serialised by a lock, with explicit transactions.

SQLite allows one writer at a time; a single connection behind an asyncio lock keeps every
transaction whole (no interleaving of two coroutines' statements) and makes "claim in the same
transaction that records it ran" straightforward.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite

from bot.files import private_file

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000

Params = Sequence[Any] | dict[str, Any]
P = ParamSpec("P")
T = TypeVar("T")


class DatabaseTooNewError(RuntimeError):
    """The database was written by a newer Rebound; refuse rather than corrupt it."""


def load_migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every bundled migration, in order, numbers without gaps."""
    folder = resources.files("bot.db") / "migrations"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(
                f"Migration {name} is out of sequence; expected number {expected:04d}"
            )
    return found


def _make_private(target: str) -> None:
    """0600 before SQLite opens the database, so its -wal and -shm files are created 0600 too
    (and tighten those of an older install)."""
    private_file(Path(target))
    for suffix in ("-wal", "-shm"):
        if Path(target + suffix).exists():
            private_file(Path(target + suffix))


class _InlineConnection(aiosqlite.Connection):
    """aiosqlite's API over its own sqlite3 connection, for a transaction body that already runs
    on SQLite's thread (:meth:`Store.run`): each statement runs at once, with no hop.

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


def _drive(body: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (it awaits only an _InlineConnection) to its end."""
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


class Store:
    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the database and apply pending migrations."""
        target = str(path)
        if target != ":memory:":
            _make_private(target)
        conn = await aiosqlite.connect(target, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if target != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # An acknowledgement ("checked in", "saved") promises the write survives a power cut,
            # not only a crash: FULL syncs the WAL at each commit (~0.5 ms, benchmarks/README.md).
            await conn.execute("PRAGMA synchronous = FULL")
            store = cls(conn, target)
            await store._migrate()
        except BaseException:
            await conn.close()
            raise
        return store

    async def close(self) -> None:
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        migrations = load_migrations()
        latest = migrations[-1][0] if migrations else 0
        cursor = await self._conn.execute("PRAGMA user_version")
        row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        if current > latest:
            raise DatabaseTooNewError(
                f"The database at {self.path} is at schema version {current}, but this "
                f"Rebound only knows up to {latest}. It was written by a newer version: "
                "upgrade Rebound, or point REBOUND_DB_PATH at another file. Nothing was changed."
            )
        pending = [m for m in migrations if m[0] > current]
        if not pending:
            return
        # executescript() would COMMIT first, so the script carries its own BEGIN/COMMIT:
        # every pending migration lands together, or none does.
        script = "BEGIN IMMEDIATE;\n"
        for number, name, sql in pending:
            script += f"-- {name}\n{sql}\nPRAGMA user_version = {number};\n"
        script += "COMMIT;\n"
        try:
            await self._conn.executescript(script)
        except Exception:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")
            raise
        log.info(
            "Database migrated from schema %d to %d (%s)",
            current,
            latest,
            ", ".join(name for _, name, _ in pending),
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the block raises. Not re-entrant."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def call(
        self,
        work: Callable[Concatenate[sqlite3.Connection, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `work(conn, *args, **kwargs)` in SQLite's thread, inside one BEGIN IMMEDIATE …
        COMMIT (ROLLBACK if it raises): a whole transaction for one round trip.

        Every ``await conn.execute(...)`` in :meth:`transaction` is a hop to SQLite's thread and
        back (a future, a thread switch, a loop wake-up); the hot paths (claiming due runs,
        drawing a card, a check-in) do all their statements in one. `work` runs off the event
        loop: it must only use `conn` and pure Python (no asyncio, no Discord)."""

        return await self._on_thread("BEGIN IMMEDIATE", work, *args, **kwargs)

    async def read(
        self,
        work: Callable[Concatenate[sqlite3.Connection, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Like :meth:`call` for reads: one consistent snapshot, no write lock, nothing to
        sync at its end (a read-only commit writes nothing)."""
        return await self._on_thread("BEGIN", work, *args, **kwargs)

    async def _on_thread(
        self,
        begin: str,
        work: Callable[Concatenate[sqlite3.Connection, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        def transaction() -> T:
            raw = self._conn._conn  # aiosqlite's own sqlite3 connection, on its own thread
            raw.execute(begin)
            try:
                result = work(raw, *args, **kwargs)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return result

        async with self._lock:
            # aiosqlite runs queued functions on its thread in order, so a caller cancelled
            # while `transaction` runs cannot interleave with the next one.
            result: T = await self._conn._execute(transaction)
            return result

    async def run(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Like :meth:`transaction`, but the whole body runs on SQLite's thread: one round trip
        instead of one per statement (a check-in went from 19 to 1).

        `body(conn, ...)` is an ``async def`` written exactly as inside ``async with
        store.transaction() as conn``, with one rule: it may await only `conn`, its cursors and
        helpers that do the same (the repositories' methods). Anything else (another Store
        call, Discord, asyncio) raises RuntimeError and the transaction is rolled back."""

        def work(raw: sqlite3.Connection) -> T:
            return _drive(
                body(_InlineConnection(raw, self._conn._iter_chunk_size), *args, **kwargs)
            )

        return await self.call(work)

    # One round trip to SQLite's thread each: a morning rush makes tens of thousands of these.

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction (SQLite makes a lone statement atomic);
        returns the number of rows changed."""
        async with self._lock:
            cursor = await self._conn.execute(sql, params)
            return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def integrity_check(self) -> list[str]:
        rows = await self.fetchall("PRAGMA integrity_check")
        return [str(r[0]) for r in rows]
