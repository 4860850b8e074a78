"""Peer encouragement: thin handlers for /reply and /encouragement, and the story events."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.ui import require_manage_guild
from cogs.encouragement import messages as m
from cogs.encouragement.jobs import DigestJob, RoundupJob
from cogs.encouragement.privacy import EncouragementPersonalData
from cogs.encouragement.repository import DIGEST_JOB, ROUNDUP_JOB, EncouragementRepository
from cogs.encouragement.service import EncouragementService
from cogs.encouragement.stories_data import StoriesTable
from cogs.encouragement.views import (
    DigestsButton,
    DigestToggle,
    EncourageButton,
    EncourageModal,
    MeTooButton,
    ReplyModal,
)
from cogs.stories.logic import STAGE_LABELS, story_label
from cogs.stories.repository import Story

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


class EncouragementCog(commands.Cog, name="Encouragement"):
    encouragement = app_commands.Group(
        name="encouragement", description=m.GROUP_DESCRIPTION, guild_only=True
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.repo = EncouragementRepository(bot.store)
        self.service = EncouragementService(bot, self.repo, StoriesTable(bot.store, bot.anonymizer))
        self.privacy = EncouragementPersonalData()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(EncourageButton, MeTooButton, DigestsButton, DigestToggle)
        self.bot.modals.add(EncourageModal, ReplyModal)
        self.bot.scheduler.register(DigestJob(self.service))
        self.bot.scheduler.register(RoundupJob(self.service))
        self.bot.privacy.register(self.privacy)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(EncourageButton, MeTooButton, DigestsButton, DigestToggle)
        self.bot.modals.remove(EncourageModal, ReplyModal)
        self.bot.scheduler.unregister(DIGEST_JOB)
        self.bot.scheduler.unregister(ROUNDUP_JOB)
        self.bot.privacy.unregister(self.privacy.feature)

    # -- story events (dispatched by the stories feature) ---------------------------------------

    @commands.Cog.listener()
    async def on_story_posted(self, story: Story) -> None:
        """The stories feature posted a story (text-channel message or forum post)."""
        if story.message_id is None or story.channel_id is None or story.number is None:
            return
        # A forum post's starter message has the post's (the thread's) id.
        forum_post = story.thread_id if story.thread_id == story.message_id else None
        await self.service.attach(
            story_id=story.id,
            public_id=story.public_id,
            guild_id=story.guild_id,
            channel_id=story.channel_id,
            message_id=story.message_id,
            forum_post_id=forum_post,
            label=story_label(story.number),
            stage=STAGE_LABELS.get(story.stage),
        )

    @commands.Cog.listener()
    async def on_story_deleted(self, story_id: int) -> None:
        await self.service.story_removed(story_id)

    # -- /reply ---------------------------------------------------------------------------------

    @app_commands.command(
        name="reply", description="Reply in your story's thread as “OP (anonymous)”."
    )
    @app_commands.guild_only()
    async def reply(self, interaction: discord.Interaction[Bot]) -> None:
        if interaction.guild is None or interaction.channel_id is None:
            raise UserFacingError(m.SERVER_ONLY)
        story_id = await self.service.story_for_reply(
            interaction.channel_id, interaction.guild.id, interaction.user.id
        )
        await interaction.response.send_modal(ReplyModal(story_id))

    # -- /encouragement roundup -----------------------------------------------------------------

    @encouragement.command(
        name="roundup", description="Turn the weekly “you were not alone” roundup on or off."
    )
    @app_commands.describe(enabled="Post the roundup in the stories channel on Monday mornings")
    @require_manage_guild
    async def roundup(self, interaction: discord.Interaction[Bot], enabled: bool) -> None:
        assert interaction.guild is not None
        await self.service.set_roundup(interaction.guild.id, enabled)
        await interaction.response.send_message(
            m.ROUNDUP_ON if enabled else m.ROUNDUP_OFF, ephemeral=True
        )
