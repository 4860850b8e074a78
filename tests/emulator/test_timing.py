"""Per-interaction timing: when INTERACTION_CREATE left the emulator and the callback arrived."""

from __future__ import annotations

import asyncio
import contextlib

import discord
from discord import app_commands

from fakecord import FakeDiscord
from tests.emulator.conftest import Client, World, running

PAUSE = 0.25


def make_client() -> Client:
    client = Client()

    @client.tree.command(name="quick", description="Answers at once")
    async def quick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    @client.tree.command(name="pause", description="Answers after a pause")
    async def pause(interaction: discord.Interaction) -> None:
        await asyncio.sleep(PAUSE)
        await interaction.response.send_message("ok", ephemeral=True)

    @client.tree.command(name="late", description="Answers after the deadline")
    @app_commands.describe(seconds="how long to wait")
    async def late(interaction: discord.Interaction, seconds: float) -> None:
        await asyncio.sleep(seconds)
        with contextlib.suppress(discord.NotFound):
            await interaction.response.send_message("late", ephemeral=True)

    return client


async def test_bot_latency_is_dispatch_to_callback(fake: FakeDiscord, world: World) -> None:
    client = make_client()
    async with running(client, fake):
        await client.tree.sync()
        quick = await fake.invoke(world.alice, world.chan, "quick")
        paused = await fake.invoke(world.alice, world.chan, "pause")
    for r in (quick, paused):
        p = r.pending
        assert p.dispatched_at is not None and p.callback_at is not None
        assert p.created <= p.dispatched_at <= p.callback_at
    assert quick.bot_latency is not None and paused.bot_latency is not None
    assert 0 <= quick.bot_latency < PAUSE
    assert PAUSE <= paused.bot_latency < PAUSE + 1.0
    assert fake.sent_interactions[-1] is paused.pending


async def test_a_late_callback_still_records_its_arrival(fake: FakeDiscord, world: World) -> None:
    fake.interactions.deadline = 0.1
    client = make_client()
    async with running(client, fake):
        await client.tree.sync()
        r = await fake.invoke(world.alice, world.chan, "late", seconds=0.3)
        await asyncio.sleep(0.5)  # the late answer arrives and is refused with 10062
    assert r.missed_deadline and r.type is None
    assert r.bot_latency is not None and r.bot_latency >= 0.3
    assert r.pending.late_callbacks == 1


async def test_start_invoke_puts_many_in_flight_at_once(fake: FakeDiscord, world: World) -> None:
    client = make_client()
    async with running(client, fake):
        await client.tree.sync()
        started = [await fake.start_invoke(world.alice, world.chan, "pause") for _ in range(20)]
        assert all(r.type is None for r in started)  # nothing waited for an answer
        done = await asyncio.gather(*(fake.answered(r) for r in started))
    assert all(r.type == 4 and not r.missed_deadline for r in done)
    latencies = [r.bot_latency for r in done]
    assert all(x is not None and x >= PAUSE for x in latencies)
    # in flight together: twenty pauses overlap instead of adding up
    assert max(x for x in latencies if x is not None) < PAUSE * 20
