"""What the /accountability commands and the weekly prompt's handlers share: the service and
jobs they are built on, and how a member's server and subscription are found."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.errors import UserFacingError
from bot.member_settings import ZoneFollower
from bot.ui import TimestampStyle, discord_timestamp
from cogs.accountability import messages as m
from cogs.accountability.jobs import PrivateThreadJob, WeeklyPromptJob
from cogs.accountability.privacy import AccountabilityPrivacy
from cogs.accountability.repository import THREAD_JOB, WEEKLY_JOB, ZONE_JOB, Subscription
from cogs.accountability.service import AccountabilityService
from cogs.accountability.views import GoalsModal, ReviewModal, WeekButton

if TYPE_CHECKING:
    from bot.app import Bot


def _stamp(instant: datetime, style: TimestampStyle) -> str:
    return discord_timestamp(instant, style)


def _week_label(week_of: str) -> str:
    day = date.fromisoformat(week_of)
    return f"{day:%A} {day.day} {day:%B}"


class AccountabilityCogBase(commands.Cog):
    """The cog's wiring (the commands are in cog.py, the prompt's handlers in
    prompt_handlers.py)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = AccountabilityService(bot.store, bot.clock, bot.scheduler)
        self.repo = self.service.repo
        deps = ServiceDeps.of(bot)
        self.job = WeeklyPromptJob(deps, self.repo)
        self.thread_job = PrivateThreadJob(deps, self.repo)
        self.privacy = AccountabilityPrivacy()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(WeekButton)
        self.bot.modals.add(ReviewModal, GoalsModal)
        self.bot.scheduler.register(self.job)
        self.bot.scheduler.register(self.thread_job)
        # The member's weekly check-in keeps its local day and time in a new zone.
        self.bot.scheduler.events.subscribe(
            ZoneFollower(ZONE_JOB, self.service.follow_zone, self.bot.anonymizer)
        )
        self.bot.privacy.register(self.privacy)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(WeekButton)
        self.bot.modals.remove(ReviewModal, GoalsModal)
        self.bot.scheduler.unregister(WEEKLY_JOB)
        self.bot.scheduler.unregister(THREAD_JOB)
        self.bot.scheduler.events.unsubscribe(ZONE_JOB)
        self.bot.privacy.unregister(self.privacy.feature)

    def _guild_id(self, interaction: discord.Interaction[Bot]) -> int:
        if interaction.guild_id is None:
            raise UserFacingError(m.SERVER_ONLY)
        return interaction.guild_id

    async def _subscription(self, interaction: discord.Interaction[Bot]) -> Subscription:
        sub = await self.repo.subscription(self._guild_id(interaction), interaction.user.id)
        if sub is None:
            raise UserFacingError(m.NOT_JOINED)
        return sub
