from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db import Store
from tests.helpers import postgres


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A real store with the real migrations applied: an SQLite file, or with
    REBOUND_TEST_STORE=postgresql a fresh database on the session's PostgreSQL server
    (tests/helpers/postgres.py)."""
    if not postgres.on_postgres():
        async with await Store.open(tmp_path / "rebound.db") as opened:
            yield opened
        return
    url = await postgres.server().fresh_database()
    async with await Store.open(url) as opened:
        yield opened
    await postgres.server().drop(url)


@pytest.fixture(autouse=True)
def _drop_harness_databases() -> Iterator[None]:
    """On PostgreSQL: the databases the harness made for this test are dropped after it (a
    database is a few megabytes; a session makes hundreds)."""
    yield
    if postgres.on_postgres():
        from tests.harness import forget_databases

        urls = forget_databases()
        if urls:
            asyncio.run(postgres.server().drop_all(urls))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, the tests of SQLite itself (its file, pragmas, sqlite3 reads of the
    file) are left out: the SQLite pass runs them."""
    if not postgres.on_postgres():
        return
    kept = [item for item in items if item.get_closest_marker("sqlite_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The session's PostgreSQL server (if one was started) is stopped and removed."""
    postgres.stop_server()


def pytest_report_header(config: pytest.Config) -> str:
    return f"store: {postgres.selected()} ({postgres.ENV})"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))


@dataclass
class World:
    """A small server: an owner, a moderator with Manage Server, a plain member, a channel."""

    fake: Any
    guild: Any
    channel: Any
    mod: Any
    alice: Any


@pytest.fixture
async def fake() -> AsyncIterator[Any]:
    from fakecord import FakeDiscord

    # Every emulator response is checked against Discord's spec too, so the bot is tested
    # against what Discord would really send.
    async with FakeDiscord(validate_responses=True) as emulator:
        yield emulator


@pytest.fixture
def world(fake: Any) -> World:
    import discord

    guild = fake.create_guild("Career Circle")
    channel = guild.create_text_channel("affirmations")
    mod = guild.add_member("mod", permissions=discord.Permissions(manage_guild=True).value)
    alice = guild.add_member("alice")
    return World(fake, guild, channel, mod, alice)
