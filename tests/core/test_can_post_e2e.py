"""The one "can the bot post here?" check (bot.ui.can_post), on the bot's real cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord

from bot.ui import POST, POST_EMBEDS, POST_PRIVATE_THREADS, can_post, missing_to_post
from tests.harness import running_bot


async def test_each_permission_set_names_what_the_bot_lacks(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        channel = app.bot.get_channel(world.channel.id)
        assert channel is not None
        assert can_post(channel, POST) and can_post(channel, POST_EMBEDS)
        deny = discord.Permissions(embed_links=True, create_private_threads=True).value
        world.fake.set_bot_permissions(world.channel, allow=0, deny=deny)
        await world.fake.settle()
        channel = app.bot.get_channel(world.channel.id)
        assert can_post(channel, POST)
        assert missing_to_post(channel, POST_EMBEDS) == ["embed_links"]
        assert missing_to_post(channel, POST_PRIVATE_THREADS) == ["create_private_threads"]


def test_a_channel_that_is_gone_lacks_everything() -> None:
    assert missing_to_post(None, POST_EMBEDS) == list(POST_EMBEDS)
    assert not can_post(None)
