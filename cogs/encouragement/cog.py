"""Peer encouragement: thin handlers for /reply and /encouragement, and the story events."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.errors import UserFacingError
from bot.seams import (
    MY_STORIES_ITEMS,
    STORIES_READER,
    STORY_POST_ITEMS,
    STORY_POSTED,
)
from bot.ui import require_manage_guild
from cogs.encouragement import messages as m
from cogs.encouragement.feature import FEATURE as DECLARED
from cogs.encouragement.jobs import DigestJob, RoundupJob, StoryGoneJob, StoryThreadJob
from cogs.encouragement.privacy import EncouragementPersonalData
from cogs.encouragement.repository import (
    DIGEST_JOB,
    ROUNDUP_JOB,
    STORY_GONE_JOB,
    STORY_THREAD_JOB,
    EncouragementRepository,
)
from cogs.encouragement.service import EncouragementService
from cogs.encouragement.stories import StoriesData
from cogs.encouragement.views import (
    DigestsButton,
    DigestToggle,
    EncourageButton,
    EncourageModal,
    MeTooButton,
    ReplyModal,
    RetryButton,
    story_items,
)

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)
FEATURE = "encouragement"

#: How far back the start-up repair looks for stories left without their thread.
REPAIR_WINDOW = timedelta(days=30)


class EncouragementCog(commands.Cog, name="Encouragement"):
    encouragement = app_commands.Group(
        name="encouragement", description=m.GROUP_DESCRIPTION, guild_only=True
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.repo = EncouragementRepository(bot.store)
        self.service = EncouragementService(
            ServiceDeps.of(bot), self.repo, StoriesData(bot.seams, self.repo)
        )
        self.privacy = EncouragementPersonalData(bot.store, bot.http.delete_message)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(
            EncourageButton, MeTooButton, DigestsButton, DigestToggle, RetryButton
        )
        self.bot.modals.add(EncourageModal, ReplyModal)
        self.bot.scheduler.register(DigestJob(self.service))
        self.bot.scheduler.register(RoundupJob(self.service))
        self.bot.scheduler.events.subscribe(StoryThreadJob(self.service))
        self.bot.scheduler.events.subscribe(StoryGoneJob(self.service))
        self.bot.privacy.register(self.privacy)
        self.bot.setup_pages.add(DECLARED, self.service)
        # Encourage and Me too under every story post; the digest switches in /mystories.
        self.bot.seams.add_items(STORY_POST_ITEMS, FEATURE, story_items)
        self.bot.seams.add_items(MY_STORIES_ITEMS, FEATURE, lambda _: [DigestsButton()])
        # Once the stories feature is loaded (it may load after this one), before the engine.
        await self.bot.seams.when_provided(STORIES_READER, FEATURE, self._repair_on_start)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(
            EncourageButton, MeTooButton, DigestsButton, DigestToggle, RetryButton
        )
        self.bot.modals.remove(EncourageModal, ReplyModal)
        self.bot.scheduler.unregister(DIGEST_JOB)
        self.bot.scheduler.unregister(ROUNDUP_JOB)
        self.bot.scheduler.events.unsubscribe(STORY_THREAD_JOB)
        self.bot.scheduler.events.unsubscribe(STORY_GONE_JOB)
        self.bot.privacy.unregister(self.privacy.feature)
        self.bot.setup_pages.remove(DECLARED)
        self.bot.seams.remove_items(STORY_POST_ITEMS, FEATURE)
        self.bot.seams.remove_items(MY_STORIES_ITEMS, FEATURE)
        self.bot.seams.stop_waiting(STORIES_READER, FEATURE)

    # -- story events (the stories feature's durable events: see jobs.py) ------------------------

    async def _repair_on_start(self, _reader: object) -> None:
        await self.repair_threads()

    async def repair_threads(self) -> int:
        """At load, before the scheduler starts: a story posted without its thread (an older
        version opened it from a fire-and-forget event a crash could lose) gets the thread's
        job now. A story whose thread job already ran is not run again (same occurrence)."""
        since = self.bot.clock.now() - REPAIR_WINDOW
        missing = await self.service.stories.posted_without_thread(since)
        if not missing:
            return 0
        async with self.bot.store.transaction() as conn:
            for public_id, data in missing:
                await self.bot.scheduler.events.emit(
                    conn, STORY_POSTED, public_id, data, to=STORY_THREAD_JOB
                )
        log.info("Thread jobs are due again for %d posted stories without a thread", len(missing))
        return len(missing)

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
