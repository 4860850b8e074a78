"""Delivery through the scheduler: exactly once through Discord's failures, a crash and outages."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord

from fakecord import FakeDiscord
from tests.harness import RunningBot, running_bot
from tests.helpers.affirmations import posts, setup

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MESSAGES = "/channels/{channel_id}/messages"


async def state_line(world: Any, prefix: str) -> str:
    status = await world.fake.invoke(world.mod, world.channel, "affirmations status")
    (line,) = [x for x in status.content.splitlines() if x.startswith(prefix)]
    return line


async def crash_mid_send(app: RunningBot, world: Any) -> None:
    """Send the 08:00 post with Discord slow to answer, and die once Discord has stored it
    but before the bot heard back: nothing recorded, the run left `claimed` (as after kill -9).
    """
    world.fake.latency = 2.0
    morning = asyncio.create_task(app.advance_to(DUE + timedelta(seconds=1)))
    for _ in range(200):
        if posts(world.channel):
            break
        await asyncio.sleep(0.02)
    assert len(posts(world.channel)) == 1
    morning.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await morning
    app.bot.scheduler.drain_seconds = 0
    await app.stop()
    world.fake.latency = 0.0


async def test_stored_then_5xx_gives_one_post(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        # 503: the scheduler retries; 500: discord.py retries by itself. Same nonce both times.
        world.fake.fail_after_store("POST", MESSAGES, status=503)
        world.fake.fail_after_store("POST", MESSAGES, status=500)
        await app.advance_to(DUE + timedelta(minutes=1))
        assert len(posts(world.channel)) == 1
        assert world.fake.nonce_hits >= 1
        assert "posted at" in await state_line(world, "Today:")
        await app.advance(days=1)
        assert len(posts(world.channel)) == 2


async def test_a_crash_after_discord_stored_the_post_is_resent_once(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await crash_mid_send(app, world)
        app.clock.set(DUE + timedelta(seconds=40))  # back 40 s later: inside the nonce window
        await app.start()
        assert len(posts(world.channel)) == 1
        assert "posted at" in await state_line(world, "Today:")
        assert world.fake.nonce_hits == 1


async def test_a_crash_after_store_then_now_gives_one_post(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await crash_mid_send(app, world)
        app.clock.set(DUE + timedelta(minutes=10))  # too late to re-send on its own
        await app.start()
        assert "not posted" in await state_line(world, "Today:")
        now = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert now.followups and "Posted today’s" in now.followups[-1]["content"]
        assert len(posts(world.channel)) == 1  # Discord returned the stored one (same nonce)
        assert "posted at" in await state_line(world, "Today:")


async def test_a_503_and_a_cloudflare_429_are_posted_late_within_grace_not_paused(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        app.bot.sender.edge_hold = 0.1
        route = f"/channels/{world.channel.id}/messages"
        world.fake.fail_next("POST", route, status=503, count=3)
        world.fake.fail_next("POST", route, status=429, via=False, count=1)
        world.fake.fail_next("POST", route, status=429, via=False, html=True, count=1)
        await app.advance_to(DUE + timedelta(seconds=5))
        assert posts(world.channel) == []
        assert "being sent" in await state_line(world, "Today:")
        assert "Running" in await state_line(world, "State:")
        await app.advance(minutes=10)
        assert len(posts(world.channel)) == 1
        assert "Running" in await state_line(world, "State:")
        assert "posted at" in await state_line(world, "Today:")


async def test_servers_unavailable_at_the_due_minute_are_served_when_they_return(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    guilds = [fake.create_guild(f"Circle {n}") for n in range(5)]
    channels = [g.create_text_channel("affirmations") for g in guilds]
    async with running_bot(fake, data_dir=tmp_path, now=START) as app:
        for channel in channels:
            r = await fake.invoke(
                channel.guild.owner,
                channel,
                "affirmations setup",
                channel=channel,
                time="08:00",
                timezone="UTC",
            )
            assert r.content and "All set" in r.content
        await app.stop()
        fake.start_outage(*guilds[:3])
        await app.start()
        assert app.bot.get_guild(guilds[0].id).unavailable  # type: ignore[union-attr]
        await app.advance_to(DUE + timedelta(minutes=2))
        assert [len(c.messages) for c in channels] == [0, 0, 0, 1, 1]
        fake.end_outage()
        for _ in range(100):
            if all(c.messages for c in channels):
                break
            await asyncio.sleep(0.05)
        await fake.settle()
        assert [len(c.messages) for c in channels] == [1, 1, 1, 1, 1]
        rows = await app.store.fetchall("SELECT paused FROM affirmation_schedules")
        assert [r["paused"] for r in rows] == [0] * 5
        assert not any(
            "paused" in m.get("content", "")
            for g in guilds
            for m in fake.dm_messages(g.owner) + [m for c in g.channels for m in c.messages]
        )


async def test_a_dm_morning_at_the_limit_gets_no_429_and_opens_each_dm_once(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(global_rate_limit=25) as fake:
        guild = fake.create_guild("Career Circle")
        channel = guild.create_text_channel("general")
        members = [guild.add_member(f"m{n}") for n in range(30)]
        async with running_bot(fake, data_dir=tmp_path, now=START, post_rate_per_second=25) as app:
            for member in members:
                r = await fake.invoke(
                    member, channel, "affirmations dm on", time="08:00", timezone="UTC"
                )
                assert r.ephemeral
            await app.advance_to(DUE + timedelta(minutes=1))
            await app.advance(days=1)
            assert all(len(fake.dm_messages(m)) == 2 for m in members)
            assert fake.count_429 == 0
            # the DM channel is opened once per member; the second morning is one request each
            assert len(fake.requests_to("POST", "/users/@me/channels")) == 30


async def test_pause_notices_go_through_the_pacer(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        before = app.bot.pacer.requests
        world.fake.fail_next(
            "POST", f"/channels/{world.channel.id}/messages", status=403, code=50013
        )
        await app.advance_to(DUE + timedelta(minutes=1))
        # the failed post, opening the owner's DM, and the notice itself
        assert app.bot.pacer.requests - before == 3
        assert "permission" in await state_line(world, "State:")
        assert isinstance(app.bot, discord.AutoShardedClient)
