"""Admin notices: "a schedule paused itself", and every such notice later features send.

Where a notice goes, in order:

1. the server's notices channel, when one is configured (`guild_settings.notices_channel_id`)
   and the bot can post there;
2. else a DM to the server's owner;
3. else the server's system channel, when the bot can post there.

Never a public surprise in a busy channel when a private way exists. One attempt at each, no
retries (a notice is not worth a burst of failing requests). Notices are sent with mentions
disabled; use `Bot.command_mention(...)` in the text for clickable commands.

Sending goes through the scheduler's paced, idempotent sender (`bot.sending.Sender`, `bot.sender`).
"""

from __future__ import annotations

import logging
from typing import Literal, Protocol

import discord

from bot.guild_settings import GuildSettingsRepository
from bot.scheduling import RetryLater
from bot.sending import PermanentFailure
from bot.ui.checks import POST, can_post

__all__ = ["NoticeRoute", "NoticeSender", "notify_admins"]

log = logging.getLogger(__name__)

NoticeRoute = Literal["notices_channel", "owner_dm", "system_channel"]
# A notice that cannot go out now is not worth a retry loop: try the next way instead.
_UNDELIVERED = (discord.HTTPException, PermanentFailure, RetryLater)


class NoticeSender(Protocol):
    """What a notice is sent through: the paced, idempotent sender (`bot.sending`)."""

    async def send(
        self, channel_id: int, *, nonce: str, guild_id: int | None = None, content: str | None
    ) -> object: ...

    async def send_dm(self, user_id: int, *, nonce: str, content: str | None) -> object: ...


def _can_post(channel: object, guild: discord.Guild) -> bool:
    if not isinstance(channel, discord.abc.GuildChannel) or not isinstance(
        channel, discord.abc.Messageable
    ):
        return False
    return can_post(channel, POST)


async def notify_admins(
    client: discord.Client,
    settings: GuildSettingsRepository,
    sender: NoticeSender,
    guild_id: int,
    text: str,
    *,
    nonce: str,
    avoid_channel_id: int | None = None,
) -> NoticeRoute | None:
    """Tell a server's admins ``text``; returns where it went (None: nowhere could take it).

    ``nonce`` makes a repeated notice (a retry, a restart) land once (`make_nonce(...)`).
    ``avoid_channel_id``: a channel the notice must not land in (say, the public channel a
    paused feature was posting to), should it also be the system channel. Mentions are off.
    """
    guild = client.get_guild(guild_id)
    if guild is None:
        return None
    configured = (await settings.get(guild_id)).notices_channel_id
    if configured is not None:
        channel = guild.get_channel(configured)
        if channel is not None and _can_post(channel, guild):
            try:
                await sender.send(channel.id, nonce=nonce, guild_id=guild_id, content=text)
                return "notices_channel"
            except _UNDELIVERED as exc:
                log.info("Notices channel refused an admin notice (%s)", type(exc).__name__)
    if guild.owner_id is not None:
        try:
            await sender.send_dm(guild.owner_id, nonce=nonce, content=text)
            return "owner_dm"
        except _UNDELIVERED as exc:
            log.info("Owner DM refused an admin notice (%s)", type(exc).__name__)
    system = guild.system_channel
    if system is not None and system.id != avoid_channel_id and _can_post(system, guild):
        try:
            await sender.send(system.id, nonce=nonce, guild_id=guild_id, content=text)
            return "system_channel"
        except _UNDELIVERED as exc:
            log.info("System channel refused an admin notice (%s)", type(exc).__name__)
    log.info("An admin notice could not be delivered anywhere")
    return None
