"""What the /checkin and /streak command classes share: the /streak group, the service and the
milestone job they are built on, and where a milestone may be posted."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.guild_settings import (
    GuildSettingsRepository,
    accountability_channel_in_use,
    mark_accountability_channel_broken,
)
from bot.member_settings import ZoneFollower
from bot.notices import notify_admins
from bot.scheduling import make_nonce
from bot.ui import POST, can_post
from cogs.streaks import messages as m
from cogs.streaks.feature import FEATURE as DECLARED
from cogs.streaks.jobs import MILESTONE_JOB, ZONE_JOB, MilestoneJob
from cogs.streaks.privacy import StreaksPrivacy
from cogs.streaks.service import StreakService
from cogs.streaks.views import CheckinModal, SettingsButton

if TYPE_CHECKING:
    from bot.app import Bot


def _guild_id(interaction: discord.Interaction[Bot]) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(m.SERVER_ONLY)
    return interaction.guild_id


streak_group = app_commands.Group(name="streak", description=m.GROUP_DESCRIPTION, guild_only=True)


class StreaksCogBase(commands.Cog):
    """The cog's wiring (the commands are in checkin_commands.py and cog.py)."""

    streak = streak_group

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = StreakService(bot.store, bot.clock, bot.scheduler, bot.anonymizer)
        self.rng = random.Random()
        self.privacy = StreaksPrivacy()
        self.milestones = MilestoneJob(
            self.service.repo,
            bot.sender,
            self._postable_channel,
            self._channel_broken,
            bot.anonymizer,
        )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SettingsButton)
        self.bot.modals.add(CheckinModal)
        self.bot.privacy.register(self.privacy)
        self.bot.setup_pages.add(DECLARED, self.service)
        self.bot.scheduler.register(self.milestones)
        # Travel days are counted at the moment of a /timezone change (rule 3).
        self.bot.scheduler.events.subscribe(
            ZoneFollower(ZONE_JOB, self.service.note_zone_change, self.bot.anonymizer)
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SettingsButton)
        self.bot.modals.remove(CheckinModal)
        self.bot.privacy.unregister(self.privacy.feature)
        self.bot.setup_pages.remove(DECLARED)
        self.bot.scheduler.unregister(MILESTONE_JOB)
        self.bot.scheduler.events.unsubscribe(ZONE_JOB)

    async def _postable_channel(self, guild_id: int) -> int | None:
        """The accountability channel, if the cache says a post there can work (no doomed
        requests: a deleted channel or a missing permission is seen before sending)."""
        channel_id = await accountability_channel_in_use(self.bot.store, guild_id)
        guild = self.bot.get_guild(guild_id)
        if channel_id is None or guild is None:
            return None
        if not can_post(guild.get_channel(channel_id), POST):
            await self._channel_broken(guild_id, channel_id)
            return None
        return channel_id

    async def _channel_broken(self, guild_id: int, channel_id: int) -> None:
        """Stop using a channel that cannot take posts, and tell the admins once."""
        if not await mark_accountability_channel_broken(self.bot.store, guild_id, channel_id):
            return
        guild = self.bot.get_guild(guild_id)
        text = m.CHANNEL_BROKEN_NOTICE.format(
            server=guild.name if guild else "your server",
            command=self.bot.command_mention("accountability channel"),
        )
        nonce = make_nonce("streaks.channel", str(guild_id), str(channel_id))
        await notify_admins(
            self.bot,
            GuildSettingsRepository(self.bot.store),
            self.bot.sender,
            guild_id,
            text,
            nonce=nonce,
            avoid_channel_id=channel_id,
        )
