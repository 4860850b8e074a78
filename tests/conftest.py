from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A real SQLite file with the real migrations applied, the core's and every feature's."""
    from bot.feature_migrations import migrate_every_feature

    async with await Store.open(tmp_path / "rebound.db") as opened:
        await migrate_every_feature(opened)
        yield opened


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
