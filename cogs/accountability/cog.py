"""/accountability join|leave|status|goals|channel, and the weekly prompt's buttons and modals."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.errors import UserFacingError
from bot.guild_settings import accountability_channel, set_accountability_channel
from bot.scheduling import RetryLater, make_nonce
from bot.seams import MEMBER_TIMEZONE_CHANGED, listener_name
from bot.sending import PermanentFailure
from bot.timekeeping import InvalidInput, parse_time
from bot.ui import (
    POST_PRIVATE_THREADS,
    TimestampStyle,
    can_post,
    discord_timestamp,
    require_manage_guild,
)
from cogs.accountability import logic
from cogs.accountability import messages as m
from cogs.accountability.jobs import PrivateThreadJob, WeeklyPromptJob
from cogs.accountability.privacy import AccountabilityPrivacy
from cogs.accountability.repository import (
    THREAD_JOB,
    WEEKLY_JOB,
    Subscription,
    Week,
)
from cogs.accountability.service import AccountabilityService
from cogs.accountability.views import GoalsModal, ReviewModal, WeekButton, one_button

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


def _stamp(instant: datetime, style: TimestampStyle) -> str:
    return discord_timestamp(instant, style)


def _week_label(week_of: str) -> str:
    day = date.fromisoformat(week_of)
    return f"{day:%A} {day.day} {day:%B}"


# The nonce of a week's shared summary (with the week's id and date).
SHARE_NONCE = "accountability.share"
SUMMARY_WORDS = logic.SummaryWords(m.SUMMARY_LAST_WEEK, m.SUMMARY_THIS_WEEK, m.REVIEW_LABELS)


class AccountabilityCog(commands.Cog, name="Accountability"):
    accountability = app_commands.Group(
        name="accountability", description=m.GROUP_DESCRIPTION, guild_only=True
    )

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
        self.bot.privacy.register(self.privacy)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(WeekButton)
        self.bot.modals.remove(ReviewModal, GoalsModal)
        self.bot.scheduler.unregister(WEEKLY_JOB)
        self.bot.scheduler.unregister(THREAD_JOB)
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

    # -- joining --------------------------------------------------------------------------------

    @accountability.command(name="join", description="Get a weekly check-in on your goals.")
    @app_commands.describe(
        day="Which day of the week", time="Your local time, 24-hour HH:MM, e.g. 09:00"
    )
    @app_commands.choices(
        day=[app_commands.Choice(name=name, value=index) for index, name in enumerate(m.DAY_NAMES)]
    )
    async def join(
        self, interaction: discord.Interaction[Bot], day: app_commands.Choice[int], time: str
    ) -> None:
        guild_id = self._guild_id(interaction)
        try:
            local_time = parse_time(time)
        except InvalidInput:
            raise UserFacingError(m.BAD_TIME.format(value=time[:30])) from None
        rule, nxt = await self.service.join(
            guild_id, interaction.user.id, int(day.value), local_time
        )
        channel_id = await accountability_channel(self.bot.store, guild_id)
        await interaction.response.send_message(
            m.JOINED.format(
                day=m.DAY_NAMES[rule.weekday],
                time=local_time.strftime("%H:%M"),
                zone=rule.zone,
                first_full=_stamp(nxt.due_at, "F"),
                first_rel=_stamp(nxt.due_at, "R"),
                channel=f"<#{channel_id}>" if channel_id else m.NO_CHANNEL_YET,
            ),
            ephemeral=True,
        )

    @accountability.command(name="leave", description="Stop your weekly check-ins.")
    async def leave(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        if not await self.service.leave(sub):
            raise UserFacingError(m.NOT_JOINED)
        await interaction.response.send_message(m.LEFT, ephemeral=True)

    @accountability.command(
        name="status", description="Your weekly check-in day, time and next one."
    )
    async def status(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        if not sub.active:
            raise UserFacingError(m.STATUS_LEFT)
        nxt = await self.service.next_prompt(sub)
        weeks = len(await self.repo.weeks(sub.id, limit=1000))
        due = nxt.due_at if nxt else self.bot.clock.now()
        await interaction.response.send_message(
            m.STATUS.format(
                day=m.DAY_NAMES[sub.rule.weekday],
                time=sub.rule.local_time.strftime("%H:%M"),
                zone=sub.rule.zone,
                next_full=_stamp(due, "F"),
                next_rel=_stamp(due, "R"),
                weeks=weeks,
            ),
            ephemeral=True,
        )

    @accountability.command(name="goals", description="This week's goals and the weeks before.")
    async def goals(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        weeks = await self.repo.weeks(sub.id)
        lines = [m.GOALS_HEADER]
        if not weeks:
            nxt = await self.service.next_prompt(sub)
            when = _stamp(nxt.due_at, "R") if nxt else m.SOON
            lines.append(m.GOALS_NONE_YET.format(next_rel=when))
        for week in weeks:
            lines.append(m.GOALS_WEEK.format(week=_week_label(week.week_of)))
            goals = await self.repo.goals(week.id)
            if not goals:
                lines.append(m.GOALS_NOT_SET)
            for goal in goals:
                review = f" — {m.REVIEW_LABELS[goal.review]}" if goal.review else ""
                lines.append(f"{goal.position}. {goal.text}{review}")
            if week.reflection:
                lines.append(f"> {week.reflection}")
        text = "\n".join(lines)[:2000]
        latest = weeks[0] if weeks else None
        view = await self._share_view(sub, latest)
        if view is None:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

    @accountability.command(
        name="channel",
        description="Where milestones, shared summaries and private check-in threads go.",
    )
    @app_commands.describe(channel="The accountability channel")
    @require_manage_guild
    async def channel(
        self, interaction: discord.Interaction[Bot], channel: discord.TextChannel
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        if not can_post(channel, POST_PRIVATE_THREADS):
            raise UserFacingError(m.CHANNEL_CANT_POST.format(channel=channel.mention))
        async with self.bot.store.transaction() as conn:
            await set_accountability_channel(conn, guild.id, channel.id, self.bot.clock.now())
        await interaction.response.send_message(
            m.CHANNEL_SET.format(channel=channel.mention), ephemeral=True
        )

    # -- the prompt's buttons and modals --------------------------------------------------------

    async def _owned_week(
        self, interaction: discord.Interaction[Bot], week_id: int
    ) -> tuple[Week, Subscription]:
        week = await self.repo.week(week_id)
        sub = await self.repo.subscription_by_id(week.subscription_id) if week else None
        if week is None or sub is None:
            raise UserFacingError(m.WEEK_GONE)
        if sub.user_id != interaction.user.id:
            raise UserFacingError(m.NOT_YOURS)
        return week, sub

    async def _refuse_if_passed(
        self, interaction: discord.Interaction[Bot], week: Week, sub: Subscription
    ) -> bool:
        """A past week's prompt (or form) says so and offers this week's; True if it did."""
        passed = await self.service.passed(week, sub)
        if passed is None:
            return False
        lines = [m.WEEK_PASSED.format(week=_week_label(week.week_of))]
        view: discord.ui.View | None = None
        if passed.current is not None:
            lines.append(m.WEEK_PASSED_THIS_WEEK)
            view = one_button("open", passed.current.id, m.BUTTON_THIS_WEEK)
        elif passed.next_prompt is not None:
            lines.append(m.WEEK_PASSED_NEXT.format(next_rel=_stamp(passed.next_prompt.due_at, "R")))
        text = " ".join(lines)
        if view is None:
            await interaction.response.send_message(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, view=view, ephemeral=True)
        return True

    async def on_week_button(
        self, interaction: discord.Interaction[Bot], action: str, week_id: int
    ) -> None:
        week, sub = await self._owned_week(interaction, week_id)
        if action == "share":
            await self._share(interaction, week, sub)
            return
        if await self._refuse_if_passed(interaction, week, sub):
            return
        previous = await self.repo.previous_week(week)
        if action == "open" and previous is not None and not previous.reviewed:
            goals = await self.repo.goals(previous.id)
            if goals:
                await interaction.response.send_modal(
                    ReviewModal(week.id, previous.id, goals, self._review_submitted)
                )
                return
        existing = [g.text for g in await self.repo.goals(week.id)]
        await interaction.response.send_modal(GoalsModal(week.id, existing, self._goals_submitted))

    async def _review_submitted(
        self,
        interaction: discord.Interaction[Bot],
        week_id: int,
        previous_id: int,
        reviews: dict[int, str],
        reflection: str,
    ) -> None:
        week, sub = await self._owned_week(interaction, week_id)
        if await self._refuse_if_passed(interaction, week, sub):
            return
        previous = await self.repo.previous_week(week)
        if previous is None or previous.id != previous_id:
            raise UserFacingError(m.WEEK_GONE)
        counts = await self.service.save_review(previous_id, reviews, reflection)
        await interaction.response.send_message(
            m.REVIEW_SAVED.format(
                done=counts["done"],
                partly=counts["partly"],
                not_yet=counts["not_yet"],
                kind=m.REVIEW_KIND,
            ),
            view=one_button("goals", week_id, m.BUTTON_GOALS),
        )

    async def _goals_submitted(
        self, interaction: discord.Interaction[Bot], week_id: int, texts: list[str]
    ) -> None:
        week, sub = await self._owned_week(interaction, week_id)
        if await self._refuse_if_passed(interaction, week, sub):
            return
        try:
            await self.service.save_goals(week, texts)
        except ValueError:
            raise UserFacingError(m.GOALS_NEED_ONE) from None
        summary = await self.service.summary(week, SUMMARY_WORDS)
        view = await self._share_view(sub, await self.repo.week(week.id))
        text = m.GOALS_SAVED.format(week=_week_label(week.week_of), summary=summary)
        if view is None:
            await interaction.response.send_message(
                text, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, view=view, allowed_mentions=discord.AllowedMentions.none()
            )

    async def _share_view(self, sub: Subscription, week: Week | None) -> discord.ui.View | None:
        if week is None or not week.goals_set or week.shared_message_id is not None:
            return None
        channel_id = await accountability_channel(self.bot.store, sub.guild_id)
        if channel_id is None:
            return None
        channel = self.bot.get_channel(channel_id)
        name = getattr(channel, "name", None)
        label = m.BUTTON_SHARE.format(channel=name) if name else m.BUTTON_SHARE_GENERIC
        return one_button("share", week.id, label)

    async def _share(
        self, interaction: discord.Interaction[Bot], week: Week, sub: Subscription
    ) -> None:
        if week.shared_message_id is not None:
            raise UserFacingError(m.ALREADY_SHARED)
        if not week.goals_set:
            raise UserFacingError(m.NOTHING_TO_SHARE)
        channel_id = await accountability_channel(self.bot.store, sub.guild_id)
        if channel_id is None:
            raise UserFacingError(m.SHARE_NO_CHANNEL)
        summary = await self.service.summary(week, SUMMARY_WORDS)
        post = m.SHARE_POST.format(member=f"<@{sub.user_id}>", summary=summary)
        # The sender retries what passes (a few seconds): answer "thinking" first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            # One nonce per week's summary: a retry, a repeat after an error Discord sent
            # after storing it, or a second click shows the summary once.
            sent = await self.bot.sender.send(
                channel_id,
                nonce=make_nonce(SHARE_NONCE, str(week.id), week.week_of),
                guild_id=sub.guild_id,
                content=post[:2000],
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except PermanentFailure as failure:
            log.warning("Sharing a weekly summary failed (%s)", failure.reason)
            raise UserFacingError(m.SHARE_FAILED.format(channel=f"<#{channel_id}>")) from None
        except RetryLater as retry:  # it may have been stored: the same nonce shows it once
            log.warning("Sharing a weekly summary did not finish (%s)", retry.detail)
            raise UserFacingError(m.SHARE_UNSURE.format(channel=f"<#{channel_id}>")) from None
        await self.repo.mark_shared(week.id, sent.id)
        await interaction.followup.send(m.SHARED.format(channel=f"<#{channel_id}>"), ephemeral=True)

    # -- the member moved -----------------------------------------------------------------------

    @commands.Cog.listener(listener_name(MEMBER_TIMEZONE_CHANGED))
    async def on_member_timezone_changed(self, user_id: int) -> None:
        """Their weekly check-in keeps its local day and time in the new zone."""
        await self.service.follow_zone(user_id)
