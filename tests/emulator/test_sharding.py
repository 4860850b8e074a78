"""Sharded bots: several gateway connections at once, each IDENTIFYing with `shard: [id, n]`,
each getting only its shard's guilds, guild events and interactions (DMs go to shard 0); the
global rate limit is one per token across all of them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord
from discord import app_commands

from fakecord import FakeDiscord, FakeGuild

COUNT = 2


class ShardClient(discord.AutoShardedClient):
    """A plain sharded client serving some shards, answering /ping with its shard ids."""

    def __init__(self, shard_ids: list[int]) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
            shard_ids=shard_ids,
            shard_count=COUNT,
        )
        self.tree = app_commands.CommandTree(self)
        self.ready_event = asyncio.Event()
        self.answered: list[int] = []
        mine = ",".join(str(s) for s in shard_ids)

        @self.tree.command(name="ping", description="Which shard answers")
        async def ping(interaction: discord.Interaction) -> None:
            self.answered.append(interaction.guild_id or 0)
            await interaction.response.send_message(f"shards {mine}", ephemeral=True)

    async def on_ready(self) -> None:
        self.ready_event.set()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No 5 s wait between IDENTIFYs against the emulator."""


@contextlib.asynccontextmanager
async def serving(client: ShardClient, fake: FakeDiscord) -> AsyncIterator[ShardClient]:
    task = asyncio.create_task(client.start(fake.token))
    try:
        async with asyncio.timeout(10):
            await client.ready_event.wait()
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def one_guild_per_shard(fake: FakeDiscord) -> dict[int, FakeGuild]:
    by_shard: dict[int, FakeGuild] = {}
    n = 0
    while len(by_shard) < COUNT:
        guild = fake.create_guild(f"g{n}")
        guild.create_text_channel("general")
        by_shard.setdefault(fake.state.shard_of(guild.id, COUNT), guild)
        n += 1
    return by_shard


async def test_each_process_gets_its_own_shards_guilds_and_interactions() -> None:
    async with FakeDiscord() as fake:
        guilds = one_guild_per_shard(fake)
        alice = {shard: guild.add_member("alice") for shard, guild in guilds.items()}
        a, b = ShardClient([0]), ShardClient([1])
        async with serving(a, fake), serving(b, fake):
            await a.tree.sync()
            assert {ident["shard"][0] for ident in fake.identifies} == {0, 1}
            assert all(fake.state.shard_of(g.id, COUNT) == 0 for g in a.guilds)
            assert all(fake.state.shard_of(g.id, COUNT) == 1 for g in b.guilds)
            assert guilds[0].id in {g.id for g in a.guilds}
            assert guilds[1].id in {g.id for g in b.guilds}
            for shard, guild in guilds.items():
                r = await fake.invoke(alice[shard], guild.channel("general"), "ping")
                assert r.content == f"shards {shard}"
            assert a.answered == [guilds[0].id] and b.answered == [guilds[1].id]


async def test_a_guild_created_later_is_announced_to_its_shard_only() -> None:
    async with FakeDiscord() as fake:
        a, b = ShardClient([0]), ShardClient([1])
        async with serving(a, fake), serving(b, fake):
            guilds = one_guild_per_shard(fake)
            await fake.settle()
            assert guilds[0].id in {g.id for g in a.guilds}
            assert guilds[0].id not in {g.id for g in b.guilds}
            assert guilds[1].id in {g.id for g in b.guilds}
            assert guilds[1].id not in {g.id for g in a.guilds}


async def test_an_interaction_waits_for_its_own_shard_to_connect() -> None:
    async with FakeDiscord() as fake:
        guilds = one_guild_per_shard(fake)
        member = guilds[1].add_member("alice")
        fake.reconnect_grace = 0.3
        a = ShardClient([0])
        async with serving(a, fake):
            await a.tree.sync()
            try:
                await fake.invoke(member, guilds[1].channel("general"), "ping")
            except AssertionError as exc:
                assert "shard" in str(exc)
            else:
                raise AssertionError("shard 1 has no connection: the invoke must fail")


async def test_the_global_limit_is_one_per_token_across_connections() -> None:
    async with FakeDiscord(global_rate_limit=20) as fake:
        guilds = one_guild_per_shard(fake)
        a, b = ShardClient([0]), ShardClient([1])
        async with serving(a, fake), serving(b, fake):
            before = fake.count_429
            chans = {0: guilds[0].channel("general"), 1: guilds[1].channel("general")}

            async def burst(client: ShardClient, shard: int) -> None:
                channel = client.get_partial_messageable(chans[shard].id)
                await asyncio.gather(*(channel.send(f"m{i}") for i in range(12)))

            await asyncio.gather(burst(a, 0), burst(b, 1))
            # 24 requests at once from two processes: over the token's 20/s. (Each alone is
            # under it. Only a few over, so discord.py's five tries at a 429 are enough even
            # when a loaded machine spreads the burst and its retries meet again.)
            assert fake.count_429 > before
            assert len(chans[0].messages) == 12 and len(chans[1].messages) == 12
