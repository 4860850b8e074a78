"""/privacy export and /privacy delete, and what happens when the bot leaves a server."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import plural
from cogs.privacy import logic, messages
from cogs.privacy.repository import PresencePersonalData, PresenceRepository
from cogs.privacy.service import PURGE_JOB, PrivacyService, RetentionService, ServerPurgeJob
from cogs.privacy.views import DeleteChoice, delete_prompt_view, describe

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


class PrivacyCog(commands.Cog):
    privacy = app_commands.Group(name="privacy", description=messages.GROUP_DESCRIPTION)

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.presence = PresenceRepository(bot.store)
        self.service = PrivacyService(
            bot.store,
            bot.privacy,
            bot.clock,
            bot.anonymizer.pseudonym,
            self.presence,
            lambda: [g.id for g in bot.guilds],
        )
        self.retention = RetentionService(
            bot.store,
            bot.scheduler,
            bot.privacy,
            bot.clock,
            self.presence,
            bot.settings.guild_retention_days,
            lambda guild_id: bot.get_guild(guild_id) is not None,
        )
        self.purge_job = ServerPurgeJob(self.retention)
        self.personal_data = PresencePersonalData()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteChoice)
        self.bot.scheduler.register(self.purge_job)
        self.bot.privacy.register(self.personal_data)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteChoice)
        self.bot.scheduler.unregister(PURGE_JOB)
        self.bot.privacy.unregister(self.personal_data.feature)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """After each (re)identify the guild list is complete (a server in an outage is listed
        as unavailable, not missing): servers the bot was removed from while it was off or
        disconnected count as left. Idempotent, so repeating it is harmless."""
        try:
            await self.retention.reconcile(g.id for g in self.bot.guilds)
        except Exception:
            if not self.bot.is_closed():  # a stop in the middle is not a failure
                log.exception("Could not compare the servers Rebound is in with its records")

    # -- a member's data ------------------------------------------------------------------------

    @privacy.command(name="export", description=messages.EXPORT_DESCRIPTION)
    async def export(self, interaction: discord.Interaction[Bot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        document, rows = await self.service.export(interaction.user.id)
        generated_at = self.bot.clock.now()
        file = discord.File(
            io.BytesIO(logic.export_bytes(document)), filename=logic.export_filename(generated_at)
        )
        text = (
            plural(rows, messages.EXPORT_READY_ONE, messages.EXPORT_READY)
            if rows
            else messages.EXPORT_EMPTY
        )
        await interaction.followup.send(text, file=file, ephemeral=True)

    @privacy.command(name="delete", description=messages.DELETE_DESCRIPTION)
    async def delete(self, interaction: discord.Interaction[Bot]) -> None:
        summary = describe(await self.service.counts(interaction.user.id))
        if not summary:
            await interaction.response.send_message(messages.DELETE_NOTHING, ephemeral=True)
            return
        await interaction.response.send_message(
            messages.DELETE_PROMPT.format(summary=summary),
            view=delete_prompt_view(),
            ephemeral=True,
        )

    # -- servers coming and going ---------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.retention.joined(guild.id)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.retention.left(guild.id)
