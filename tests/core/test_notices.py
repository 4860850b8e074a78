"""Admin notices through the local Discord: notices channel, else owner DM, else system channel."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord

from bot.guild_settings import GuildSettingsRepository
from bot.notices import notify_admins
from tests.harness import running_bot

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
_nonces = iter(range(10_000))


def next_nonce() -> str:
    return f"notice-test-{next(_nonces)}"


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["content"] for m in messages]


async def test_a_configured_notices_channel_gets_the_notice(world: Any, tmp_path: Path) -> None:
    notices = world.guild.create_text_channel("mod-notices")
    world.guild.set_system_channel(world.guild.create_text_channel("general"))
    async with running_bot(world.fake, data_dir=tmp_path, now=NOW) as app:
        settings = GuildSettingsRepository(app.store)
        await settings.set_notices_channel(world.guild.id, notices.id, NOW)
        route = await notify_admins(
            app.bot,
            settings,
            app.bot.sender,
            world.guild.id,
            "Paused. See </x:1>.",
            nonce=next_nonce(),
        )
        await world.fake.settle()
        assert route == "notices_channel"
        assert texts(notices.messages) == ["Paused. See </x:1>."]
        assert world.fake.dm_messages(world.guild.owner) == []
        (sent,) = world.fake.requests_to("POST", f"/channels/{notices.id}/messages")
        assert sent.json["allowed_mentions"]["parse"] == []


async def test_without_a_notices_channel_the_owner_hears_by_dm(world: Any, tmp_path: Path) -> None:
    system = world.guild.create_text_channel("general")
    world.guild.set_system_channel(system)
    async with running_bot(world.fake, data_dir=tmp_path, now=NOW) as app:
        route = await notify_admins(
            app.bot,
            GuildSettingsRepository(app.store),
            app.bot.sender,
            world.guild.id,
            "Quiet note.",
            nonce=next_nonce(),
        )
        await world.fake.settle()
        assert route == "owner_dm"
        assert texts(world.fake.dm_messages(world.guild.owner)) == ["Quiet note."]
        assert system.messages == []


async def test_the_system_channel_is_the_last_resort(world: Any, tmp_path: Path) -> None:
    system = world.guild.create_text_channel("general")
    world.guild.set_system_channel(system)
    world.fake.close_dms(world.guild.owner)
    async with running_bot(world.fake, data_dir=tmp_path, now=NOW) as app:
        with world.fake.expect_rejections():
            route = await notify_admins(
                app.bot,
                GuildSettingsRepository(app.store),
                app.bot.sender,
                world.guild.id,
                "Last resort.",
                nonce=next_nonce(),
            )
        await world.fake.settle()
        assert route == "system_channel"
        assert texts(system.messages) == ["Last resort."]


async def test_a_notices_channel_the_bot_cannot_post_in_falls_back_to_the_owner(
    world: Any, tmp_path: Path
) -> None:
    notices = world.guild.create_text_channel("mod-notices")
    world.fake.set_bot_permissions(notices, deny=discord.Permissions(send_messages=True).value)
    async with running_bot(world.fake, data_dir=tmp_path, now=NOW) as app:
        settings = GuildSettingsRepository(app.store)
        await settings.set_notices_channel(world.guild.id, notices.id, NOW)
        route = await notify_admins(
            app.bot, settings, app.bot.sender, world.guild.id, "Fallback.", nonce=next_nonce()
        )
        await world.fake.settle()
        assert route == "owner_dm"
        assert notices.messages == []


async def test_a_pause_notice_goes_to_the_notices_channel_with_a_clickable_command(
    world: Any, tmp_path: Path
) -> None:
    notices = world.guild.create_text_channel("mod-notices")
    async with running_bot(world.fake, data_dir=tmp_path, now=NOW) as app:
        await GuildSettingsRepository(app.store).set_notices_channel(
            world.guild.id, notices.id, NOW
        )
        done = await world.fake.invoke(
            world.mod, world.channel, "affirmations setup",
            channel=world.channel, time="08:00", timezone="UTC",
        )  # fmt: skip
        assert "All set" in done.content
        world.fake.delete_channel(world.channel)
        await world.fake.settle()
        (notice,) = texts(notices.messages)
        assert "paused" in notice
        assert re.search(r"</affirmations setup:\d+>", notice)
        assert world.fake.dm_messages(world.guild.owner) == []


async def test_guild_settings_default_to_nothing_and_remember_changes(store: Any) -> None:
    settings = GuildSettingsRepository(store)
    assert (await settings.get(5)).notices_channel_id is None
    await settings.set_notices_channel(5, 77, NOW)
    await settings.set_default_timezone(5, "Europe/Berlin", NOW)
    got = await settings.get(5)
    assert (got.notices_channel_id, got.default_timezone) == (77, "Europe/Berlin")
    await settings.set_notices_channel(5, None, NOW)
    assert (await settings.get(5)).notices_channel_id is None
    assert (await settings.get(5)).default_timezone == "Europe/Berlin"
    assert await settings.forget_guild(5) == 1
