"""What the /affirmations command classes share: the command groups, the service and jobs
they are built on, and the small helpers every reply uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.errors import UserFacingError
from bot.ui import require_manage_guild
from cogs.affirmations import messages as say
from cogs.affirmations.content import AffirmationContent
from cogs.affirmations.feature import FEATURE as DECLARED
from cogs.affirmations.jobs import DMJob, GuildPostJob
from cogs.affirmations.posting import Poster
from cogs.affirmations.privacy import AffirmationsPersonalData
from cogs.affirmations.repository import DM_JOB, GUILD_JOB, AffirmationRepository, GuildSchedule
from cogs.affirmations.service import AffirmationService
from cogs.affirmations.views import ListPageButton

if TYPE_CHECKING:
    from bot.app import Bot

# Manage Server (read server-wide), checked on every admin subcommand. Not also set as the
# group's default_member_permissions: Discord applies that to a top-level command and every
# subcommand, which would hide /affirmations dm from the members it is for.
manager_only = require_manage_guild


def _require_guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(say.SERVER_ONLY)
    return interaction.guild


affirmations_group = app_commands.Group(name="affirmations", description=say.GROUP_DESCRIPTION)
dm_group = app_commands.Group(
    name="dm", description="A personal affirmation by DM each day.", parent=affirmations_group
)


class AffirmationsCogBase(commands.Cog):
    """The cog's wiring and reply helpers (the commands are in cog.py and dm_commands.py)."""

    affirmations = affirmations_group

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.repo = AffirmationRepository(bot.store)
        self.poster = Poster(
            ServiceDeps.of(bot),
            self.repo,
            AffirmationContent.of(bot.content),
            command_mention=bot.command_mention,
            has_command=lambda name: bot.tree.get_command(name) is not None,
        )
        self.service = AffirmationService(
            store=bot.store,
            clock=bot.clock,
            scheduler=bot.scheduler,
            repo=self.repo,
            poster=self.poster,
            bundled_texts=[a.text for a in AffirmationContent.of(bot.content).affirmations],
        )
        grace = int(bot.settings.feature("affirmation_grace_minutes"))
        self.guild_job = GuildPostJob(self.poster, grace)
        self.dm_job = DMJob(self.poster, grace)
        self.personal_data = AffirmationsPersonalData()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ListPageButton)
        self.bot.scheduler.register(self.guild_job)
        self.bot.scheduler.register(self.dm_job)
        # the per-day post log is kept as long as run history (REBOUND_RUN_HISTORY_DAYS)
        self.bot.scheduler.add_housekeeping(AffirmationRepository.prune_posts)
        self.bot.privacy.register(self.personal_data)
        self.bot.setup_pages.add(DECLARED, self.service)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ListPageButton)
        self.bot.scheduler.unregister(GUILD_JOB)
        self.bot.scheduler.unregister(DM_JOB)
        self.bot.scheduler.remove_housekeeping(AffirmationRepository.prune_posts)
        self.bot.privacy.unregister(self.personal_data.feature)
        self.bot.setup_pages.remove(DECLARED)

    def _say(self, template: str, **values: object) -> str:
        """A message with its command names as clickable mentions."""
        mention = self.bot.command_mention
        return template.format(
            setup=mention("affirmations setup"),
            resume=mention("affirmations resume"),
            now=mention("affirmations now"),
            list=mention("affirmations list"),
            add=mention("affirmations add"),
            on=mention("affirmations dm on"),
            off=mention("affirmations dm off"),
            **values,
        )

    async def _schedule_or_explain(self, guild: discord.Guild) -> GuildSchedule:
        schedule = await self.service.schedule(guild.id)
        if schedule is None:
            raise UserFacingError(self._say(say.NOT_SET_UP))
        return schedule

    async def _reply(self, interaction: discord.Interaction[Bot], text: str) -> None:
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
