"""Admin notices: "a schedule paused itself", and every such notice later features send.

Where a notice goes, in order:

1. the server's notices channel, when one is configured (`guild_settings.notices_channel_id`)
   and the bot can post there;
2. else a DM to the server's owner;
3. else the server's system channel, when the bot can post there.

Never a public surprise in a busy channel when a private way exists. One attempt at each, no
retries (a notice is not worth a burst of failing requests). Notices are sent with mentions
disabled; use `Bot.command_mention(...)` in the text for clickable commands.

Sending goes through one small function, `Send`, so the engine's paced sender can carry it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Literal

import discord

from bot.guild_settings import GuildSettingsRepository

__all__ = ["NoticeRoute", "Send", "notify_admins", "send_plain"]

log = logging.getLogger(__name__)

NoticeRoute = Literal["notices_channel", "owner_dm", "system_channel"]
Send = Callable[[discord.abc.Messageable, str], Awaitable[object]]


async def send_plain(target: discord.abc.Messageable, text: str) -> object:
    """Send ``text`` with every mention disabled (the default way a notice is sent)."""
    return await target.send(text, allowed_mentions=discord.AllowedMentions.none())


def _can_post(channel: object, guild: discord.Guild) -> bool:
    if not isinstance(channel, discord.abc.GuildChannel) or not isinstance(
        channel, discord.abc.Messageable
    ):
        return False
    permissions = channel.permissions_for(guild.me)
    return permissions.view_channel and permissions.send_messages


async def notify_admins(
    client: discord.Client,
    settings: GuildSettingsRepository,
    guild_id: int,
    text: str,
    *,
    send: Send = send_plain,
    avoid_channel_id: int | None = None,
) -> NoticeRoute | None:
    """Tell a server's admins ``text``; returns where it went (None: nowhere could take it).

    ``avoid_channel_id``: a channel the notice must not land in (say, the public channel a
    paused feature was posting to), should it also be the system channel.
    """
    guild = client.get_guild(guild_id)
    if guild is None:
        return None
    configured = (await settings.get(guild_id)).notices_channel_id
    if configured is not None:
        channel = guild.get_channel(configured)
        if channel is not None and _can_post(channel, guild):
            try:
                await send(channel, text)  # type: ignore[arg-type]
                return "notices_channel"
            except discord.HTTPException as exc:
                log.info("Notices channel refused an admin notice (HTTP %s)", exc.status)
    if guild.owner_id is not None:
        try:
            dm = await client.create_dm(discord.Object(guild.owner_id))
            await send(dm, text)
            return "owner_dm"
        except discord.HTTPException as exc:
            log.info("Owner DM refused an admin notice (HTTP %s)", exc.status)
    system = guild.system_channel
    if system is not None and system.id != avoid_channel_id and _can_post(system, guild):
        try:
            await send(system, text)
            return "system_channel"
        except discord.HTTPException as exc:
            log.info("System channel refused an admin notice (HTTP %s)", exc.status)
    log.info("An admin notice could not be delivered anywhere")
    return None
