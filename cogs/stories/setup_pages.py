"""The stories page in /setup: the stories channel, the moderators' channel and approval,
through the stories service (the same settings /stories settings writes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.setup_pages import POSTING, Setting, SetupPart
from cogs.stories import messages as msg
from cogs.stories.repository import with_settings

if TYPE_CHECKING:
    from cogs.stories.service import StoryService


def setup_part(service: StoryService) -> SetupPart:
    def reader(field_name: str) -> Callable[[int], Awaitable[Any]]:
        async def read(guild_id: int) -> Any:
            return getattr(await service.settings(guild_id), field_name)

        return read

    def writer(field_name: str) -> Callable[[int, Any], Awaitable[str | None]]:
        async def write(guild_id: int, value: Any) -> str | None:
            updated = with_settings(await service.settings(guild_id), **{field_name: value})
            if updated.approval and updated.mod_channel_id is None:
                return msg.SETUP_APPROVAL_NEEDS_MOD_CHANNEL
            await service.save_settings(updated)
            return None

        return write

    return SetupPart(
        settings=(
            Setting(
                "stories_channel",
                msg.SETUP_CHANNEL,
                msg.SETUP_PAGE,
                "channel",
                reader("channel_id"),
                writer("channel_id"),
                needs=POSTING,
                # Other features may need more here (see SetupPart.channel_needs).
                forum_needs=POSTING,
                channel_types=(discord.ChannelType.text, discord.ChannelType.forum),
            ),
            Setting(
                "stories_mod_channel",
                msg.SETUP_MOD_CHANNEL,
                msg.SETUP_PAGE,
                "channel",
                reader("mod_channel_id"),
                writer("mod_channel_id"),
                needs=POSTING,
            ),
            Setting(
                "stories_approval",
                msg.SETUP_APPROVAL,
                msg.SETUP_PAGE,
                "toggle",
                reader("approval"),
                writer("approval"),
            ),
        )
    )
