"""The real bot on the local Discord: ready, commands synced once, /about, logging."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot


def command_syncs(fake: Any) -> list[Any]:
    return [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]


async def test_bot_connects_and_syncs_commands_once(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        assert app.bot.is_ready()
        assert [g.id for g in app.bot.guilds] == [world.guild.id]
        (sync,) = command_syncs(world.fake)
        assert {c["name"] for c in sync.json} >= {"about", "affirmations"}
        await app.restart()
        assert app.bot.is_ready()
        assert len(command_syncs(world.fake)) == 1


async def test_commands_go_to_the_dev_guild_when_set(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, dev_guild_id=world.guild.id):
        (sync,) = command_syncs(world.fake)
        assert f"/guilds/{world.guild.id}/commands" in sync.path


async def test_about_answers_ephemerally_with_version_and_privacy(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.channel, "about")
        assert not result.missed_deadline
        assert result.ephemeral
        embed = result.embeds[0]
        names = [f["name"] for f in embed["fields"]]
        assert {"Version", "Up for", "Latency", "Servers"} <= set(names)
        assert "What Rebound stores, and why" in names
        assert result.content.startswith("Rebound ") and "1 server" in result.content
        assert world.channel.messages == []


async def test_about_works_in_a_dm(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.fake.dm_channel(world.alice), "about")
        assert result.ephemeral or result.embeds


async def test_discord_loggers_stay_at_info_or_above(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(world.fake, data_dir=tmp_path):
        await world.fake.invoke(world.alice, world.channel, "about")
    assert logging.getLogger("discord.gateway").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("discord.http").getEffectiveLevel() >= logging.INFO
    assert not [
        r for r in caplog.records if r.name.startswith("discord") and r.levelno < logging.INFO
    ]
    assert str(world.alice.id) not in caplog.text


async def test_an_unexpected_error_becomes_a_friendly_reply_with_a_reference(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await app.store.close()  # the store failing under a command is our fault, not theirs
        result = await world.fake.invoke(world.mod, world.channel, "affirmations status")
        assert result.ephemeral
        assert "not yours" in result.content
        assert "reference" in result.content
        app._store = await type(app.store).open(app.settings.db_path)  # let stop() close cleanly
