"""What the emulator offers for exactly-once delivery tests: nonce deduplication, latency, the
faults a busy morning of posts meets (stored-then-5xx, Cloudflare's 429, outages), sharding."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest

from fakecord import FakeDiscord
from tests.emulator.conftest import Client, World, running

MESSAGES = "/channels/{channel_id}/messages"


def channel(client: discord.Client, channel_id: int) -> discord.PartialMessageable:
    return client.get_partial_messageable(channel_id)


async def test_same_nonce_inside_the_window_returns_the_first_message(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        first = await channel(client, world.chan.id).send("hello", nonce="morning-1")
        again = await channel(client, world.chan.id).send("hello?", nonce="morning-1")
        assert again.id == first.id
        assert [m["content"] for m in world.chan.messages] == ["hello"]
        assert fake.nonce_hits == 1
        # another nonce, or no nonce, is a new message
        await channel(client, world.chan.id).send("other", nonce="morning-2")
        await channel(client, world.chan.id).send("plain")
        assert len(world.chan.messages) == 3


async def test_same_nonce_elsewhere_or_after_the_window_is_a_new_message(
    fake: FakeDiscord, world: World
) -> None:
    other = world.guild.create_text_channel("other")
    fake.nonce_window = 0.2
    async with running(Client(), fake) as client:
        await channel(client, world.chan.id).send("one", nonce="n")
        await channel(client, other.id).send("one", nonce="n")  # another channel
        assert len(other.messages) == 1
        await asyncio.sleep(0.3)
        await channel(client, world.chan.id).send("two", nonce="n")
        assert [m["content"] for m in world.chan.messages] == ["one", "two"]
        assert fake.nonce_hits == 0


async def test_stored_then_5xx_stores_the_message_and_answers_the_error(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        fake.fail_after_store("POST", MESSAGES, status=503)
        with pytest.raises(discord.DiscordServerError):
            await channel(client, world.chan.id).send("stored anyway", nonce="x1")
        assert [m["content"] for m in world.chan.messages] == ["stored anyway"]
        # discord.py retries a 500 by itself: with the nonce, the retry returns the first one
        fake.fail_after_store("POST", MESSAGES, status=500)
        sent = await channel(client, world.chan.id).send("twice?", nonce="x2")
        assert [m["content"] for m in world.chan.messages] == ["stored anyway", "twice?"]
        assert int(world.chan.messages[-1]["id"]) == sent.id


@pytest.mark.parametrize("html", [False, True])
async def test_a_429_without_via_is_raised_not_retried(
    fake: FakeDiscord, world: World, html: bool
) -> None:
    async with running(Client(), fake) as client:
        fake.fail_next("POST", MESSAGES, status=429, via=False, html=html)
        with pytest.raises(discord.HTTPException) as info:
            await channel(client, world.chan.id).send("refused")
        assert info.value.status == 429
        request = fake.requests_to("POST", MESSAGES)[-1]
        assert "Via" not in request.headers and request.status == 429
        assert world.chan.messages == []


async def test_latency_delays_every_answer(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        fake.latency, fake.jitter = 0.15, 0.02
        started = time.monotonic()
        await channel(client, world.chan.id).send("slow")
        assert time.monotonic() - started >= 0.13


class OutageClient(Client):
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self.events.put(("guild_available", guild))


async def test_an_outage_keeps_a_guild_unavailable_until_it_ends(
    fake: FakeDiscord, world: World
) -> None:
    fake.start_outage(world.guild)
    async with running(OutageClient(), fake) as client:
        guild = client.get_guild(world.guild.id)
        assert guild is not None and guild.unavailable
        fake.end_outage()
        back = await client.next_event("guild_available")
        assert isinstance(back, discord.Guild) and not back.unavailable
        assert back.get_channel(world.chan.id) is not None


async def test_gateway_bot_recommends_shards_and_one_session_above_2500_gets_4011() -> None:
    async with FakeDiscord() as fake:
        for n in range(2600):
            fake.create_guild(f"g{n}")
        fake.guilds_per_shard = 2000
        client = Client()
        await client.login(fake.token)
        try:
            count, _, limits = await client.http.get_bot_gateway()
            assert count == 2 and limits["max_concurrency"] == 1
        finally:
            await client.close()
        with pytest.raises(discord.ConnectionClosed) as info:
            async with running(Client(), fake):
                pass
        assert info.value.code == 4011
        assert 4011 in fake.close_codes
