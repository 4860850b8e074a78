"""The weekly prompt's buttons and modals: a week's goals, its review, and sharing it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.errors import UserFacingError
from bot.guild_settings import accountability_channel
from bot.scheduling import RetryLater, make_nonce
from bot.sending import PermanentFailure
from cogs.accountability import logic
from cogs.accountability import messages as m
from cogs.accountability.cog_base import AccountabilityCogBase, _stamp, _week_label
from cogs.accountability.repository import Subscription, Week
from cogs.accountability.views import GoalsModal, ReviewModal, one_button

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


# The nonce of a week's shared summary (with the week's id and date).
SHARE_NONCE = "accountability.share"
SUMMARY_WORDS = logic.SummaryWords(m.SUMMARY_LAST_WEEK, m.SUMMARY_THIS_WEEK, m.REVIEW_LABELS)


class WeekPromptHandlers(AccountabilityCogBase):
    """The weekly prompt's handlers of AccountabilityCog (views.py reaches them on the cog)."""

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
                await interaction.response.send_modal(ReviewModal(week.id, previous.id, goals))
                return
        existing = [g.text for g in await self.repo.goals(week.id)]
        await interaction.response.send_modal(GoalsModal(week.id, existing))

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
