"""The PostgreSQL store: the Store API (bot.db.connection) over an asyncpg pool.

Selected by ``DATABASE_URL=postgresql://...``. The repositories, services and the engine run
unchanged: a transaction body receives a :class:`PgConnection`, which offers the aiosqlite
methods they use (``execute`` -> a cursor with ``fetchone``/``fetchall``/``rowcount``,
``execute_fetchall``, ``executemany``) and returns asyncpg records (read by name or index, like
``sqlite3.Row``). What differs between the dialects is rewritten in one place, bot.db.pg_sql:
``?`` parameters become ``$n`` (cached), and DDL gets PostgreSQL's types.

Three further differences are absorbed here, each documented where it is handled:

- parameter types: asyncpg checks them strictly, SQLite converts; :func:`_coercer` converts
  the same way SQLite would (a bool into an INTEGER column is 0/1, an int into TEXT its digits);
- ``SUM`` returns NUMERIC: decoded as an int when whole (as SQLite returns), else a float;
- a constraint violation or a value a column refuses raises :class:`IntegrityError`, a
  ``sqlite3.IntegrityError`` (as SQLite raises for both), so code and tests catching the
  standard exception work on both.

Writers. SQLite has one writer at a time and code written for it may read, then write on what
it read (a cooldown, a quota, a next number). Every write transaction here therefore takes one
transaction-level advisory lock first (:data:`WRITE_LOCK`): writers are serialised across every
process on the database, as SQLite's ``BEGIN IMMEDIATE`` serialises them, and every limit and
claim holds under PostgreSQL's default READ COMMITTED. Reads (``fetchone``/``fetchall``,
``transaction(read_only=True)``, ``run_read``) take no lock and see committed data. The job
claim additionally locks the rows it reads with ``FOR UPDATE SKIP LOCKED`` (bot.db.lock_rows),
so it stays correct if the write lock is ever narrowed.

Schema: the same migration files as SQLite (bot/db/migrations and each feature's), applied under
an advisory lock (two processes starting at once migrate once); the version is kept in the
table ``rebound_schema`` instead of SQLite's ``PRAGMA user_version``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import asyncpg
from aiosqlite.context import contextmanager

from bot.db.connection import Params, Store, load_migrations, too_new
from bot.db.pg_sql import ddl, is_ddl, placeholders

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

#: Advisory lock keys (arbitrary, fixed): every write transaction; schema migrations.
WRITE_LOCK = 0x5245_4244
MIGRATE_LOCK = 0x5245_4245
#: Connections per process (a transaction holds one; reads run beside writes).
DEFAULT_POOL_SIZE = 8

_BEGIN_WRITE = f"BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
_BEGIN_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
# Statements sent through the extended protocol (prepared, parameters bound); anything else
# (SAVEPOINT, DDL, ...) goes as a simple query.
_PREPARED_STARTS = ("select", "insert", "update", "delete", "with", "values")


class IntegrityError(sqlite3.IntegrityError):
    """A constraint violation on PostgreSQL (the asyncpg error is its ``__cause__``)."""


def redact(url: str) -> str:
    """The URL without its password (for logs and `check`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# -- parameters and results ------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


def _to_int(value: Any) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value)
    return value


def _to_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _to_float(value: Any) -> Any:
    return float(value) if isinstance(value, int | Decimal) else value


def _to_bool(value: Any) -> Any:
    return bool(value) if isinstance(value, int) else value


def _coercer(type_name: str) -> Callable[[Any], Any]:
    """How a Python value becomes what asyncpg accepts for a parameter of `type_name`, as
    SQLite would have stored it."""
    if type_name in ("int2", "int4", "int8"):
        return _to_int
    if type_name in ("text", "varchar", "bpchar", "name", "unknown"):
        return _to_text
    if type_name in ("float4", "float8"):
        return _to_float
    if type_name == "bool":
        return _to_bool
    return _same


def _numeric(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


async def _init_connection(raw: asyncpg.Connection) -> None:
    await raw.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


def _rowcount(status: str | None) -> int:
    """sqlite3's rowcount from PostgreSQL's command tag ("UPDATE 3", "INSERT 0 1")."""
    if not status:
        return -1
    word, _, rest = status.partition(" ")
    if word in ("SELECT", "VALUES") or not rest:
        return -1
    try:
        return int(rest.rsplit(" ", 1)[-1])
    except ValueError:
        return -1


@dataclass(frozen=True, slots=True)
class _Prepared:
    statement: Any  # asyncpg.prepared_stmt.PreparedStatement
    coerce: tuple[Callable[[Any], Any], ...]

    def args(self, params: Params) -> list[Any]:
        if isinstance(params, dict):
            raise TypeError("named parameters are not supported; use ? parameters")
        values = list(params)
        if len(values) != len(self.coerce):
            raise sqlite3.ProgrammingError(
                f"Incorrect number of bindings supplied: {len(self.coerce)} needed, "
                f"{len(values)} supplied"
            )
        return [convert(value) for convert, value in zip(self.coerce, values, strict=True)]


class RawConnection(asyncpg.Connection):
    """asyncpg's connection with this driver's prepared statements (by translated text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rebound_statements: dict[str, _Prepared] = {}


async def _prepare(raw: RawConnection, text: str) -> _Prepared:
    found = raw.rebound_statements.get(text)
    if found is None:
        statement = await raw.prepare(text)
        coerce = tuple(_coercer(p.name) for p in statement.get_parameters())
        found = raw.rebound_statements[text] = _Prepared(statement, coerce)
    return found


async def run_statement(raw: RawConnection, sql: str, params: Params = ()) -> tuple[list[Any], int]:
    """One statement: (rows, rowcount)."""
    head = sql.lstrip().split(None, 1)[0].lower() if sql.strip() else ""
    try:
        if head not in _PREPARED_STARTS:
            if params:
                raise sqlite3.ProgrammingError(f"parameters given to a {head.upper()} statement")
            if is_ddl(sql) or head == "drop":
                raw.rebound_statements.clear()  # a prepared plan may name what changed
            status = await raw.execute(ddl(sql) if is_ddl(sql) else sql)
            return [], _rowcount(status)
        text = placeholders(sql)
        prepared = await _prepare(raw, text)
        try:
            rows = await prepared.statement.fetch(*prepared.args(params))
        except asyncpg.InvalidCachedStatementError:
            # A migration on another connection changed a table this plan reads. Outside a
            # transaction, prepare again and retry; inside, the transaction is lost anyway.
            raw.rebound_statements.pop(text, None)
            if raw.is_in_transaction():
                raise
            prepared = await _prepare(raw, text)
            rows = await prepared.statement.fetch(*prepared.args(params))
        return rows, _rowcount(prepared.statement.get_statusmsg())
    except (asyncpg.IntegrityConstraintViolationError, asyncpg.DataError) as exc:
        # A value a column refuses is an IntegrityError on SQLite too (STRICT, CHECK).
        raise IntegrityError(str(exc)) from exc


class _Pool:
    """A few long-lived connections, lent one at a time. (asyncpg's own pool invalidates
    statements prepared through a lent connection when it comes back; these are kept.)"""

    def __init__(self, url: str, size: int) -> None:
        self._url = url
        self._size = size
        self._idle: list[RawConnection] = []
        self._all: set[RawConnection] = set()
        self._free = asyncio.Semaphore(size)
        self._closed = False

    async def _open(self) -> RawConnection:
        raw: RawConnection = await asyncpg.connect(
            self._url, connection_class=RawConnection, statement_cache_size=0
        )
        await _init_connection(raw)
        self._all.add(raw)
        return raw

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[RawConnection]:
        async with self._free:
            if self._closed:
                raise asyncpg.InterfaceError("the store is closed")
            raw = self._idle.pop() if self._idle else await self._open()
            try:
                yield raw
            finally:
                if not raw.is_closed() and not raw.is_in_transaction():
                    self._idle.append(raw)
                else:  # broken, cancelled mid-transaction: not lent again
                    self._all.discard(raw)
                    raw.terminate()

    async def close(self) -> None:
        self._closed = True
        for raw in list(self._all):
            with contextlib.suppress(Exception):
                await raw.close(timeout=5)
        self._all.clear()
        self._idle.clear()


# -- the connection a transaction body receives -----------------------------------------------


class PgCursor(aiosqlite.Cursor):
    """A statement's result: its rows (read at once) and rowcount."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:  # not aiosqlite's __init__
        self._rows = rows
        self._next = 0
        self._count = rowcount

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        end = len(self._rows) if size is None else self._next + size
        rows = self._rows[self._next : end]
        self._next += len(rows)
        return rows

    async def fetchall(self) -> list[Any]:
        return await self.fetchmany(None)

    async def close(self) -> None:
        self._next = len(self._rows)

    @property
    def rowcount(self) -> int:
        return self._count

    @property
    def lastrowid(self) -> int | None:
        return None  # PostgreSQL has no rowid: use RETURNING

    async def _iterate(self) -> AsyncIterator[Any]:
        while (row := await self.fetchone()) is not None:
            yield row

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def __aenter__(self) -> PgCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class PgConnection(aiosqlite.Connection):
    """aiosqlite's connection API over one pooled asyncpg connection, inside a transaction the
    store began. Typed as an aiosqlite.Connection so repositories annotate one type."""

    dialect = "postgresql"

    def __init__(self, raw: RawConnection) -> None:  # not aiosqlite's __init__: no thread
        self._raw = raw

    def __del__(self) -> None:
        pass  # the pool owns the connection

    @property
    def in_transaction(self) -> bool:
        return bool(self._raw.is_in_transaction())

    @contextmanager
    async def execute(self, sql: str, parameters: Params | None = None) -> aiosqlite.Cursor:
        rows, count = await run_statement(self._raw, sql, parameters or ())
        return PgCursor(rows, count)

    @contextmanager
    async def execute_fetchall(self, sql: str, parameters: Params | None = None) -> Iterable[Any]:
        rows, _ = await run_statement(self._raw, sql, parameters or ())
        return rows

    @contextmanager
    async def executemany(self, sql: str, parameters: Iterable[Params]) -> aiosqlite.Cursor:
        total = 0
        for params in parameters:
            _, count = await run_statement(self._raw, sql, params)
            total += max(count, 0)
        return PgCursor([], total)

    @contextmanager
    async def executescript(self, sql_script: str) -> aiosqlite.Cursor:
        from bot.feature_migrations import statements

        for statement in statements(sql_script):
            await run_statement(self._raw, statement)
        return PgCursor([], -1)


# -- the store ----------------------------------------------------------------------------------


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, pool: _Pool, url: str) -> None:
        self._pool = pool
        self.url = url
        self.path = redact(url)

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> PostgresStore:
        pool = _Pool(url, pool_size)
        store = cls(pool, url)
        try:
            await store._migrate()
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
                pending = [m for m in migrations if m[0] > current]
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
    async def transaction(self, *, read_only: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction holds the write lock (module docstring); `read_only`: one
        snapshot (REPEATABLE READ), no lock."""
        async with self._pool.acquire() as raw:
            await raw.execute(_BEGIN_READ if read_only else _BEGIN_WRITE)
            try:
                yield PgConnection(raw)
            except BaseException:
                with contextlib.suppress(Exception):
                    await raw.execute("ROLLBACK")
                raise
            else:
                await raw.execute("COMMIT")

    async def run(
        self,
        body: Callable[Concatenate[aiosqlite.Connection, P], Coroutine[Any, Any, T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """The body in one write transaction (one round trip per statement here)."""
        async with self.transaction() as conn:
            return await body(conn, *args, **kwargs)

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
        """One statement in its own write transaction; the number of rows changed."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

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
