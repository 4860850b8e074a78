"""Fixtures for the emulator's own tests: plain discord.py clients against fakecord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TypeVar

import discord
import pytest
from discord import app_commands

from fakecord import FakeChannel, FakeDiscord, FakeGuild, FakeMember, get_spec, spec_path
from fakecord.validation import Spec


class Client(discord.Client):
    """A plain client with a command tree and an awaitable ready event."""

    def __init__(self, *, intents: discord.Intents | None = None, **kwargs: object) -> None:
        super().__init__(
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.05,
            **kwargs,  # type: ignore[arg-type]
        )
        self.tree = app_commands.CommandTree(self)
        self.ready_event = asyncio.Event()
        self.events: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

    async def on_ready(self) -> None:
        self.ready_event.set()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every re-IDENTIFY; not needed against the emulator."""

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.events.put(("guild_join", guild))

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.events.put(("guild_remove", guild))

    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        await self.events.put(("channel_create", channel))

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self.events.put(("channel_delete", channel))

    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        await self.events.put(("channel_update", after))

    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self.events.put(("thread_create", thread))

    async def on_resumed(self) -> None:
        await self.events.put(("resumed", None))

    async def next_event(self, name: str, timeout: float = 5.0) -> object:  # noqa: ASYNC109
        """The next event called ``name`` (other events are skipped)."""
        async with asyncio.timeout(timeout):
            while True:
                got, value = await self.events.get()
                if got == name:
                    return value


ClientT = TypeVar("ClientT", bound=Client)


@contextlib.asynccontextmanager
async def running(client: ClientT, fake: FakeDiscord) -> AsyncIterator[ClientT]:
    """Start ``client`` against ``fake`` and wait for on_ready; close it afterwards."""
    task = asyncio.create_task(client.start(fake.token))
    waiter = asyncio.create_task(client.ready_event.wait())
    done, _ = await asyncio.wait({task, waiter}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()
        raise AssertionError("client stopped before it was ready")
    if waiter not in done:
        waiter.cancel()
        task.cancel()
        raise AssertionError("client was not ready within 10 s")
    try:
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


@dataclass
class World:
    guild: FakeGuild
    chan: FakeChannel
    forum: FakeChannel
    alice: FakeMember
    mod: FakeMember


# `fake` (a FakeDiscord that also checks its own responses against the spec) comes from
# tests/conftest.py; the emulator's tests use a richer `world` with a forum.


@pytest.fixture
def world(fake: FakeDiscord) -> World:
    guild = fake.create_guild("Career Circle")
    chan = guild.create_text_channel("affirmations")
    forum = guild.create_forum_channel("stories", tags=["Phone screen", "Onsite"])
    alice = guild.add_member("alice")
    mod = guild.add_member("mod", permissions=discord.Permissions(manage_guild=True).value)
    return World(guild, chan, forum, alice, mod)


@pytest.fixture
def spec() -> Spec:
    """Discord's OpenAPI file as fakecord loaded it."""
    loaded = get_spec()
    if loaded is None:
        # Never a skip: without the file, fakecord checks far less, and CI must say so.
        pytest.fail(f"Discord's openapi.json is missing at {spec_path()} (see DISCORD_API_SPEC)")
    return loaded
