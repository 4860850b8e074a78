"""The weekly prompt as the scheduler's due work: once per (subscription, local prompt date).

The scheduler claims each occurrence in the same transaction that moves the job on, so a
restart, a reconnect or a repeated DST hour cannot prompt twice. Delivery: a DM; if the
member's DMs are closed, a private thread in the server's accountability channel.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.scheduling import DueRun, Occurrence, Outcome
from bot.sending import PermanentFailure
from cogs.accountability import logic
from cogs.accountability import messages as m
from cogs.accountability.repository import (
    WEEKLY_JOB,
    AccountabilityRepository,
    Subscription,
    Week,
)
from cogs.accountability.views import one_button
from cogs.streaks.repository import accountability_channel

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

# A prompt up to a day late is still useful; older ones are recorded as missed.
GRACE = timedelta(hours=24)


class WeeklyPromptJob:
    kind = WEEKLY_JOB

    def __init__(self, bot: Bot, repo: AccountabilityRepository) -> None:
        self.bot = bot
        self.repo = repo

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due, label = logic.next_prompt(logic.WeeklyRule.from_rule(dict(rule)), after)
        return Occurrence(due, label)

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return GRACE

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        subscription = await self.repo.subscription_by_id(int(run.key))
        if subscription is None or not subscription.active:
            async with self.bot.store.transaction() as conn:
                await self.bot.scheduler.remove_job(conn, WEEKLY_JOB, run.key)
            return "skipped", "left"
        week = await self.repo.open_week(subscription.id, run.occurrence, self.bot.clock.now())
        later = await self.repo.previous_week(week) is not None
        guild = self.bot.get_guild(subscription.guild_id)
        server = f" in **{guild.name}**" if guild is not None else ""
        text = (m.PROMPT_LATER if later else m.PROMPT_FIRST).format(server=server)
        view = one_button("open", week.id, m.BUTTON_START)
        try:
            # The nonce makes a re-send of this run (after a crash or a retry) show only once.
            await self.bot.sender.send_dm(
                subscription.user_id, nonce=run.nonce, content=text, view=view
            )
        except PermanentFailure as failure:
            if failure.reason != "dms_closed":
                return "failed", failure.reason
            return await self._in_thread(subscription, week, run, text)
        await self.repo.mark_delivered(week.id, "dm", None)
        return "done", None

    async def _in_thread(
        self, subscription: Subscription, week: Week, run: DueRun, text: str
    ) -> tuple[Outcome, str | None]:
        """DMs closed: a private thread in the accountability channel, with only them added.
        A retry of the same run finds the thread it stored and does not open a second one."""
        channel_id = await accountability_channel(self.bot.store, subscription.guild_id)
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            log.info("Weekly check-in not delivered: DMs closed and no accountability channel")
            return "failed", "dms_closed"
        member = discord.Object(subscription.user_id)
        thread_id = week.thread_id
        try:
            if thread_id is None:
                name = m.THREAD_NAME.format(day=f"{date.fromisoformat(week.week_of):%d %b}")
                thread = await self.bot.sender.call(
                    lambda: channel.create_thread(
                        name=name,
                        type=discord.ChannelType.private_thread,
                        invitable=False,
                        auto_archive_duration=10080,
                    )
                )
                thread_id = thread.id
                await self.repo.mark_delivered(week.id, "thread", thread_id)
                await self.bot.sender.call(lambda: thread.add_user(member))
            await self.bot.sender.send(
                thread_id,
                nonce=run.nonce_for("thread"),
                guild_id=subscription.guild_id,
                content=m.PROMPT_IN_THREAD.format(member=f"<@{subscription.user_id}>")
                + "\n"
                + text,
                view=one_button("open", week.id, m.BUTTON_START),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, roles=False, users=[member], replied_user=False
                ),
            )
        except PermanentFailure as failure:
            log.warning("Weekly check-in thread failed (%s)", failure.reason)
            return "failed", f"thread_{failure.reason}"
        return "done", "thread"
