"""The events affirmations listen to: a closed-DM notice, a deleted channel, a left server."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from cogs.affirmations import messages as say

if TYPE_CHECKING:
    from bot.app import Bot

from cogs.affirmations.cog_base import AffirmationsCogBase

log = logging.getLogger(__name__)


class AffirmationListeners(AffirmationsCogBase):
    """The listeners of AffirmationsCog."""

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction[Bot], command: object
    ) -> None:
        """Tell a member, once, that their affirmation DMs stopped because DMs were closed."""
        if await self.repo.take_dm_notice(interaction.user.id):
            try:
                await interaction.followup.send(self._say(say.DM_STOPPED_NOTICE), ephemeral=True)
            except discord.HTTPException as exc:
                log.info("Could not deliver the DM-stopped notice (HTTP %s)", exc.status)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        schedule = await self.repo.schedule(channel.guild.id)
        if schedule is not None and schedule.channel_id == channel.id and not schedule.paused:
            await self.poster.pause(schedule, "channel_missing")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        schedule = await self.repo.schedule(guild.id)
        if schedule is not None and not schedule.paused:
            await self.poster.pause(schedule, "bot_removed")
