"""The PostgreSQL store: the Store API (bot.db.connection) over an asyncpg pool.

Selected by ``DATABASE_URL=postgresql://...``. The repositories, services and the engine run
unchanged: a transaction body receives a ``PgConnection`` (bot.db.pg_driver), which offers
the aiosqlite methods they use (``execute`` -> a cursor with ``fetchone``/``fetchall``/``rowcount``,
``execute_fetchall``, ``executemany``) and returns asyncpg records (read by name or index, like
``sqlite3.Row``). What differs between the dialects is rewritten in one place, bot.db.pg_sql:
``?`` parameters become ``$n`` (cached), and DDL gets PostgreSQL's types.

Three further differences are absorbed by the driver (bot.db.pg_driver), each documented there:

- parameter types: asyncpg checks them strictly, SQLite converts; the driver converts
  the same way SQLite would (a bool into an INTEGER column is 0/1, an int into TEXT its digits);
- ``SUM`` returns NUMERIC: decoded as an int when whole (as SQLite returns), else a float;
- a constraint violation or a value a column refuses raises :class:`IntegrityError`, a
  ``sqlite3.IntegrityError`` (as SQLite raises for both), so code and tests catching the
  standard exception work on both.

Writers. SQLite has one writer at a time and code written for it may read, then write on what
it read (a cooldown, a quota, a next number, a claim). Here every such read-then-write holds
across processes under one of two rules, chosen by how the transaction is written:

- ``run(body)`` (and ``execute``): the body is a function that awaits only its connection, so
  it can be run again. It runs SERIALIZABLE and, when PostgreSQL reports a serialization
  failure or a deadlock, is run again from the start alone among writers, as a block (so once
  at most): the outcome is as if the bodies had run one at a time, and bodies of several
  processes run side by side (the check-in, the claim, the stories' limits and the group
  commit of run records are all bodies).
- ``transaction()`` (an ``async with`` block, which cannot be run again): it holds the write
  lock (:data:`WRITE_LOCK_TABLE`, locked until the transaction ends) exclusively, so it runs alone
  among writers of every process, as under SQLite's ``BEGIN IMMEDIATE``, at READ COMMITTED.
  The bodies hold the same lock shared: a block waits for the bodies running, then they wait
  for it.

Reads (``fetchone``/``fetchall``, ``transaction(read_only=True)``, ``run_read``) take no lock
and see committed data (a read-only transaction: one snapshot). The job claim also locks the
rows it reads with ``FOR UPDATE SKIP LOCKED`` (bot.db.lock_rows), so two claims skip each
other's rows instead of conflicting on them.

Schema: the same migration files as SQLite (bot/db/migrations and each feature's), applied under
an advisory lock (two processes starting at once migrate once); the version is kept in the
table ``rebound_schema`` instead of SQLite's ``PRAGMA user_version``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite
import asyncpg

from bot.db.connection import (
    DatabaseUnreachableError,
    Params,
    Store,
    load_migrations,
    migrations_from,
    too_new,
)
from bot.db.pg_driver import (
    IntegrityError,
    PgConnection,
    PgCursor,
    Pool,
    RawConnection,
    redact,
    run_statement,
)

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

#: Advisory lock key (arbitrary, fixed): schema migrations.
MIGRATE_LOCK = 0x5245_4245
#: Connections per process (a transaction holds one; reads run beside writes).
DEFAULT_POOL_SIZE = 8

# The write lock is a table lock on the store's own bookkeeping table: a block takes it
# EXCLUSIVE, bodies ROW EXCLUSIVE (which they share; reads take neither). A table lock, not an
# advisory one: LOCK TABLE is the one statement that takes no snapshot, so a SERIALIZABLE body
# that waited for a block gets its snapshot after the wait and sees what the block wrote (a
# SELECT of pg_advisory_xact_lock took it before the wait: the body then missed the block's
# rows, and no serialization check tells, the block being READ COMMITTED).
WRITE_LOCK_TABLE = "rebound_schema"
_BEGIN_WRITE = (
    f"BEGIN ISOLATION LEVEL READ COMMITTED; LOCK TABLE {WRITE_LOCK_TABLE} IN EXCLUSIVE MODE"
)
_BEGIN_BODY = (
    f"BEGIN ISOLATION LEVEL SERIALIZABLE; LOCK TABLE {WRITE_LOCK_TABLE} IN ROW EXCLUSIVE MODE"
)
#: Attempts of a body (the second on runs alone: it fails again only on a deadlock with a
#: reader's row lock or a lost connection, not on another body).
RETRIES = 5
# serialization_failure, deadlock_detected: the transaction is rolled back; run it again.
_RETRY_STATES = ("40001", "40P01")
_BEGIN_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
# -- the store ----------------------------------------------------------------------------------


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, pool: Pool, url: str) -> None:
        self._pool = pool
        self.url = url
        self.path = redact(url)
        #: Bodies run again after a serialization failure or a deadlock (benchmarks read it).
        self.retries = 0

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> PostgresStore:
        pool = Pool(url, pool_size)
        store = cls(pool, url)
        try:
            await store._migrate()
        except (
            OSError,
            asyncpg.InvalidAuthorizationSpecificationError,
            asyncpg.InvalidCatalogNameError,
            asyncpg.InvalidPasswordError,
        ) as exc:
            await pool.close()
            raise DatabaseUnreachableError(
                f"Could not open the PostgreSQL database at {redact(url)} "
                f"({type(exc).__name__}: {exc}). Check DATABASE_URL and that the server runs; "
                "nothing was changed."
            ) from exc
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        await self._pool.close()

    async def schema_version(self) -> int:
        row = await self.fetchone(
            "SELECT version FROM rebound_schema WHERE id = 1"
            if await self._has_schema_table()
            else "SELECT 0"
        )
        return int(row[0]) if row else 0

    async def _has_schema_table(self) -> bool:
        row = await self.fetchone("SELECT to_regclass('rebound_schema') IS NOT NULL")
        return bool(row and row[0])

    async def _migrate(self) -> None:
        from bot.feature_migrations import statements

        migrations = load_migrations()
        latest = migrations[-1][0] if migrations else 0
        async with self._pool.acquire() as raw:
            await raw.execute(f"BEGIN; SELECT pg_advisory_xact_lock({MIGRATE_LOCK})")
            try:
                await raw.execute(
                    "CREATE TABLE IF NOT EXISTS rebound_schema "
                    "(id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)"
                )
                current = int(
                    await raw.fetchval("SELECT version FROM rebound_schema WHERE id = 1") or 0
                )
                if current > latest:
                    raise too_new(self.path, current, latest, "DATABASE_URL")
                pending = migrations_from(current)
                for _, _, sql in pending:
                    for statement in statements(sql):
                        await run_statement(raw, statement)
                if pending:
                    await raw.execute(
                        "INSERT INTO rebound_schema (id, version) VALUES (1, $1) "
                        "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                        latest,
                    )
            except BaseException:
                await raw.execute("ROLLBACK")
                raise
            await raw.execute("COMMIT")
        if pending:
            log.info(
                "Database migrated from schema %d to %d (%s)",
                current,
                latest,
                ", ".join(name for _, name, _ in pending),
            )

    @contextlib.asynccontextmanager
    async def _begin(self, begin: str) -> AsyncIterator[aiosqlite.Connection]:
        async with self._pool.acquire() as raw:
            await raw.execute(begin)
            try:
                yield PgConnection(raw)
            except BaseException:
                with contextlib.suppress(Exception):
                    await raw.execute("ROLLBACK")
                raise
            else:
                await raw.execute("COMMIT")

    def transaction(
        self, *, read_only: bool = False
    ) -> contextlib.AbstractAsyncContextManager[aiosqlite.Connection]:
        """A write block runs alone among writers (module docstring); `read_only`: one
        snapshot (REPEATABLE READ), no lock."""
        return self._begin(_BEGIN_READ if read_only else _BEGIN_WRITE)

    async def run(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """The body in one SERIALIZABLE transaction, beside other bodies; when it loses a
        conflict with another, run again from the start, alone among writers (as a block).

        Alone, because bodies that met once tend to meet again: a wave of check-ins of one
        server reads and writes the same index pages, and retried side by side (with random
        pauses) they kept failing each other, many times each. A retry alone waits for the
        bodies running, then cannot conflict with any: one retry at most."""
        for attempt in range(1, RETRIES + 1):
            try:
                async with self._begin(_BEGIN_BODY if attempt == 1 else _BEGIN_WRITE) as conn:
                    return await body(conn, *args, **kwargs)
            except asyncpg.PostgresError as exc:
                if exc.sqlstate not in _RETRY_STATES or attempt == RETRIES:
                    raise
                self.retries += 1
        raise AssertionError("unreachable")

    async def run_read(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        async with self.transaction(read_only=True) as conn:
            return await body(conn, *args, **kwargs)

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._pool.acquire() as raw:
            rows, _ = await run_statement(raw, sql, params)
            return list(rows)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own write transaction (a body); the number of rows changed."""

        async def one(conn: aiosqlite.Connection) -> int:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

        return await self.run(one)

    async def integrity_check(self) -> list[str]:
        """PostgreSQL checks its own pages; this says the server answers and the schema is
        this Rebound's."""
        version = await self.schema_version()
        latest = load_migrations()[-1][0]
        return ["ok"] if version == latest else [f"schema version {version}, expected {latest}"]

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND table_name <> 'rebound_schema' ORDER BY table_name"
        )
        return [str(r[0]) for r in rows]


__all__ = [
    "IntegrityError",
    "PgConnection",
    "PgCursor",
    "PostgresStore",
    "RawConnection",
    "redact",
]
