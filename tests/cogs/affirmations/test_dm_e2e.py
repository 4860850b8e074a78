"""A member's personal affirmation DMs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def affirmation_dms(world: Any, member: Any) -> list[dict[str, Any]]:
    return [m for m in world.fake.dm_messages(member) if m.get("embeds")]


async def test_dm_on_sends_one_affirmation_a_day_at_their_time(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.alice,
            world.channel,
            "affirmations dm on",
            time="07:30",
            timezone="America/New_York",
        )
        assert result.ephemeral
        assert result.content and "07:30" in result.content
        assert world.fake.dm_messages(world.alice) == []
        await app.advance(days=3)
        dms = affirmation_dms(world, world.alice)
        assert len(dms) == 3
        assert len(world.fake.dm_messages(world.alice)) == 3
        assert len({d["embeds"][0]["description"] for d in dms}) == 3


async def test_dm_off_stops_them(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="08:00", timezone="UTC"
        )
        off = await world.fake.invoke(world.alice, world.channel, "affirmations dm off")
        assert off.ephemeral and "no more" in off.content
        await app.advance(days=2)
        assert affirmation_dms(world, world.alice) == []


async def test_dms_closed_from_the_start_stop_after_the_first_delivery(
    world: Any, tmp_path: Path
) -> None:
    world.fake.close_dms(world.alice)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="08:00", timezone="UTC"
        )
        assert result.ephemeral
        await app.advance(days=3)
        failures = [r for r in world.fake.requests if r.status == 403]
        assert len(failures) == 1
        row = await app.store.fetchone(
            "SELECT active, stopped_reason FROM affirmation_dm_subscriptions"
        )
        assert row is not None and (row["active"], row["stopped_reason"]) == (0, "dms_closed")
        assert await app.store.fetchone("SELECT 1 FROM scheduled_jobs") is None


async def test_dms_closed_later_stop_after_one_failure_and_tell_them_next_time(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="08:00", timezone="UTC"
        )
        world.fake.close_dms(world.alice)
        before = world.fake.invalid_request_count
        await app.advance(days=3)
        assert world.fake.invalid_request_count - before == 1
        result = await world.fake.invoke(world.alice, world.channel, "about")
        await world.fake.settle()
        notices = [f for f in result.followups if "stopped them" in f.get("content", "")]
        assert len(notices) == 1 and notices[0]["flags"] & 64
        again = await world.fake.invoke(world.alice, world.channel, "about")
        await world.fake.settle()
        assert not [f for f in again.followups if "stopped them" in f.get("content", "")]


async def test_dm_on_works_from_the_bots_dms_too(world: Any, tmp_path: Path) -> None:
    dm = world.fake.dm_channel(world.alice)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.alice, dm, "affirmations dm on", time="09:00", timezone="Asia/Kolkata"
        )
        assert result.ephemeral
        await app.advance(days=1)
        assert len(affirmation_dms(world, world.alice)) == 1


async def test_server_commands_in_a_dm_explain_kindly(world: Any, tmp_path: Path) -> None:
    dm = world.fake.dm_channel(world.mod)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(world.mod, dm, "affirmations status")
        assert result.ephemeral and "inside a server" in result.content
        refused = await world.fake.invoke(world.mod, dm, "affirmations pause")
        assert refused.ephemeral and "server" in refused.content
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


async def test_dm_channel_ids_stay_out_of_the_log(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dm = world.fake.dm_channel(world.alice)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="08:00", timezone="UTC"
        )
        # Discord slows the DM down: discord.py logs the request URL, DM channel id included.
        world.fake.fail_next("POST", f"/channels/{dm.id}/messages", status=429, retry_after=0.05)
        with caplog.at_level(logging.DEBUG, logger="discord"):
            await app.advance(days=1)
    assert len(affirmation_dms(world, world.alice)) == 1
    lines = [r.getMessage() for r in caplog.records if not r.name.startswith("fakecord")]
    assert any("429" in line for line in lines), lines  # the line is there, redacted
    assert not any(str(dm.id) in line or str(world.alice.id) in line for line in lines)
