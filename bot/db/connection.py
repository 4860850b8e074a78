"""The store: the database behind one lock, forward-only migrations, and transactions.

One transaction style. A transaction is a block of statements on one connection, committed
together or not at all::

    async with store.transaction() as conn:          # statement by statement
        await repository.save(conn, ...)
    await store.run(repository.save, ...)            # the same transaction, as one call

``run`` takes the block as an ``async def (conn, ...)`` and runs it whole on the database's
thread: one round trip instead of one per statement (the hot paths use it). For a consistent
snapshot that takes no write lock: ``transaction(read_only=True)`` and ``run_read``. ``fetchone``,
``fetchall`` and ``execute`` are one-statement transactions. Repositories receive the
connection and never begin or commit; a driver for another database (PostgreSQL) would give
them the same connection API, so they need not change.

Kept as thin aliases of the SQLite driver, for code written before: ``call``/``read`` (a
*synchronous* body over the raw sqlite3 connection: the scheduler's claim, group commits, the
affirmations' card draw) and ``executemany``. New code uses ``transaction``/``run``.

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

from bot.db.sqlite import SQLiteDriver, drive
from bot.files import private_file

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

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


# A new database starts from core_tables.sql, the core's tables as migration 0017 leaves them
# without the features' own (each feature creates its tables from its folder). The numbered
# files stay for a database made before, which upgrades through them to the same schema.
CORE_TABLES_VERSION = 17


def migrations_from(current: int) -> list[tuple[int, str, str]]:
    """The migrations a database at schema `current` needs, in order (0: a new database)."""
    migrations = load_migrations()
    if current == 0:
        baseline = (resources.files("bot.db") / "core_tables.sql").read_text(encoding="utf-8")
        start = [(CORE_TABLES_VERSION, "core_tables.sql", baseline)]
        return start + [m for m in migrations if m[0] > CORE_TABLES_VERSION]
    return [m for m in migrations if m[0] > current]


def _make_private(target: str) -> None:
    """0600 before SQLite opens the database, so its -wal and -shm files are created 0600 too
    (and tighten those of an older install)."""
    private_file(Path(target))
    for suffix in ("-wal", "-shm"):
        if Path(target + suffix).exists():
            private_file(Path(target + suffix))


class Store:
    def __init__(self, driver: SQLiteDriver, path: str) -> None:
        self._driver = driver
        self._conn = driver.connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the database and apply pending migrations."""
        target = str(path)
        if target != ":memory:":
            _make_private(target)
        driver = await SQLiteDriver.connect(target)
        try:
            store = cls(driver, target)
            await store._migrate()
        except BaseException:
            await driver.close()
            raise
        return store

    async def close(self) -> None:
        await self._driver.close()

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
        pending = migrations_from(current)
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
    async def transaction(self, *, read_only: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if the block raises. Not re-entrant.
        `read_only`: a snapshot (plain BEGIN), no write lock taken."""
        async with self._lock:
            await self._conn.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

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
            return drive(body(self._driver.inline(raw), *args, **kwargs))

        return await self._on_thread("BEGIN IMMEDIATE", work)

    async def run_read(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """:meth:`run` for reads: one consistent snapshot, no write lock."""

        def work(raw: sqlite3.Connection) -> T:
            return drive(body(self._driver.inline(raw), *args, **kwargs))

        return await self._on_thread("BEGIN", work)

    # -- thin aliases for synchronous bodies (SQLite only; see the module docstring) ---------

    async def call(
        self,
        work: Callable[Concatenate[sqlite3.Connection, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`work(raw_conn, ...)`, synchronous, in one write transaction on SQLite's thread (it
        must only use `raw_conn` and pure Python)."""
        return await self._on_thread("BEGIN IMMEDIATE", lambda raw: work(raw, *args, **kwargs))

    async def read(
        self,
        work: Callable[Concatenate[sqlite3.Connection, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """:meth:`call` for reads: one snapshot, no write lock."""
        return await self._on_thread("BEGIN", lambda raw: work(raw, *args, **kwargs))

    async def _on_thread(self, begin: str, work: Callable[[sqlite3.Connection], T]) -> T:
        def transaction(raw: sqlite3.Connection) -> T:
            raw.execute(begin)
            try:
                result = work(raw)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return result

        async with self._lock:
            return await self._driver.on_thread(transaction)

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
