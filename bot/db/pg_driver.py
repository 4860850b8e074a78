"""The PostgreSQL driver under bot.db.postgres: asyncpg connections that look like aiosqlite's.

:class:`PgConnection` is what a transaction body receives: ``execute`` (a cursor with
``fetchone``/``fetchall``/``rowcount``), ``execute_fetchall``, ``executemany``, rows read by name
or index. Every statement goes through :func:`run_statement`: ``?`` parameters become ``$n``
(bot.db.pg_sql), parameters are converted as SQLite would store them, DDL gets PostgreSQL's
types, and a constraint violation becomes an ``IntegrityError``. Statements are prepared once
per connection and kept (:class:`RawConnection`); :class:`Pool` lends the connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import asyncpg
from aiosqlite.context import contextmanager

from bot.db.connection import Params
from bot.db.pg_sql import ddl, is_ddl, placeholders

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
    if value is None:
        return value
    if isinstance(value, str):
        # PostgreSQL's TEXT cannot hold a NUL (SQLite's can): one a member typed (nobody sees it)
        # is dropped rather than failing the whole write.
        return value.replace("\x00", "") if "\x00" in value else value
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


class Pool:
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
