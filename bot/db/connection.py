"""The store: the database behind one lock, forward-only migrations, and transactions.

One transaction style. A transaction is a block of statements on one connection, committed
together or not at all::

    async with store.transaction() as conn:          # statement by statement
        await repository.save(conn, ...)
    await store.run(repository.save, ...)            # the same transaction, as one call

``run`` takes the block as an ``async def (conn, ...)`` and, on SQLite, runs it whole on the
database's thread: one round trip instead of one per statement (the hot paths use it). For a
consistent snapshot that takes no write lock: ``transaction(read_only=True)`` and
``run_read``. ``fetchone``, ``fetchall`` and ``execute`` are one-statement transactions.
Repositories receive the connection and never begin or commit.

Two stores offer this API: :class:`SQLiteStore` (the default, a file in the data folder) and
``bot.db.postgres.PostgresStore`` (``DATABASE_URL=postgresql://...``). :meth:`Store.open`
picks by its target; nothing above the store knows which one runs.

SQLite allows one writer at a time; a single connection behind an asyncio lock keeps every
transaction whole (no interleaving of two coroutines' statements) and makes "claim in the same
transaction that records it ran" straightforward. PostgreSQL keeps the same guarantee for
write transactions across processes (see bot.db.postgres).
"""

from __future__ import annotations

import asyncio
import contextlib
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


def too_new(where: str, current: int, latest: int, setting: str) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"The database at {where} is at schema version {current}, but this "
        f"Rebound only knows up to {latest}. It was written by a newer version: "
        f"upgrade Rebound, or point {setting} at another database. Nothing was changed."
    )


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


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def must_retry(exc: BaseException) -> bool:
    """The error is PostgreSQL's "run the transaction again" (a serialization failure or a
    deadlock): a body that catches errors must let it through (`Store.run` retries)."""
    return getattr(exc, "sqlstate", None) in ("40001", "40P01")


def lock_rows(conn: object, of: str | None = None) -> str:
    """The clause that locks a SELECT's rows for the transaction and skips rows another
    transaction holds (``FOR UPDATE [OF t] SKIP LOCKED``) on PostgreSQL; nothing on SQLite,
    whose one writer already holds the whole database."""
    if getattr(conn, "dialect", "sqlite") != "postgresql":
        return ""
    return f" FOR UPDATE{f' OF {of}' if of else ''} SKIP LOCKED"


class Store:
    """The store's API (see the module docstring). :meth:`open` returns the store the target
    names: a PostgreSQL URL, or an SQLite file path (or ``:memory:``)."""

    #: "sqlite" or "postgresql"
    dialect = "sqlite"
    #: where the data is (a file path, or a URL without its password)
    path: str

    @classmethod
    async def open(cls, target: Path | str) -> Store:
        """Open (creating if needed) the database and apply pending migrations."""
        if is_postgres_url(target):
            from bot.db.postgres import PostgresStore

            return await PostgresStore.connect(str(target))
        return await SQLiteStore.connect(target)

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        raise NotImplementedError

    def transaction(
        self, *, read_only: bool = False
    ) -> contextlib.AbstractAsyncContextManager[aiosqlite.Connection]:
        raise NotImplementedError

    async def run(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        raise NotImplementedError

    async def run_read(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        raise NotImplementedError

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        raise NotImplementedError

    async def execute(self, sql: str, params: Params = ()) -> int:
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def integrity_check(self) -> list[str]:
        raise NotImplementedError

    async def tables(self) -> list[str]:
        """Rebound's tables, by name (not the store's own bookkeeping)."""
        raise NotImplementedError


class SQLiteStore(Store):
    def __init__(self, driver: SQLiteDriver, path: str) -> None:
        self._driver = driver
        self._conn = driver.connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def connect(cls, path: Path | str) -> SQLiteStore:
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
            raise too_new(self.path, current, latest, "REBOUND_DB_PATH")
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

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction (SQLite makes a lone statement atomic);
        returns the number of rows changed."""
        async with self._lock:
            cursor = await self._conn.execute(sql, params)
            return cursor.rowcount

    async def integrity_check(self) -> list[str]:
        rows = await self.fetchall("PRAGMA integrity_check")
        return [str(r[0]) for r in rows]

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        return [str(r[0]) for r in rows]
