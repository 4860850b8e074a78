"""The fleet's tests run on PostgreSQL whatever the pass (a fleet refuses SQLite): each gets a
fresh, migrated database on the session's embedded server (tests/helpers/postgres.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.helpers import postgres


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh database's postgresql:// address (every migration applied)."""
    url = await postgres.server().fresh_database()
    yield url
    await postgres.server().drop(url)
