"""The weekly prompt as the scheduler's due work: once per (subscription, local prompt date).

The scheduler claims each occurrence in the same transaction that moves the job on, so a
restart, a reconnect or a repeated DST hour cannot prompt twice. Delivery: a DM (sent with the
run's nonce); if the member's DMs are closed, a private thread in the server's accountability
channel.

The private thread is a job of its own (`accountability.thread`, one per week), because Discord
takes no nonce for creating a thread: the weekly run puts it, keyed by the week, and the
scheduler runs it once. It is `resumable`: the thread is made through `bot.creator`, which sends
the create once (no blind retry of a 5xx) and, on a later attempt or after a crash at any age,
first looks for the thread an earlier attempt made (found by a keyed marker at the end of its
name: no member id in it). The prompt inside is sent with the run's nonce, and a later attempt
first looks in the thread for a prompt already there, so neither the thread nor its prompt is
ever doubled and no thread is left empty. While the server is unavailable (an outage), the
thread waits for it like a story post does, instead of being recorded as failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import discord

from bot.creating import marked_name
from bot.deps import ServiceDeps, WithDeps
from bot.guild_settings import accountability_channel
from bot.scheduling import DueRun, Occurrence, Outcome, from_epoch, to_epoch
from bot.sending import PermanentFailure
from cogs.accountability import logic
from cogs.accountability import messages as m
from cogs.accountability.repository import (
    THREAD_JOB,
    WEEKLY_JOB,
    AccountabilityRepository,
    Subscription,
    Week,
)
from cogs.accountability.views import one_button

log = logging.getLogger(__name__)

# A prompt up to a day late is still useful; older ones are recorded as missed.
GRACE = timedelta(hours=24)
_THREAD_OCCURRENCE = "thread"
# Messages of a private thread read when a later attempt looks for its prompt (ours is first).
_LOOK_BACK = 10


async def prompt_text(
    client: discord.Client, repo: AccountabilityRepository, sub: Subscription, week: Week
) -> str:
    """The prompt's words: the first week's, or "first a look back" when there is last week."""
    later = await repo.previous_week(week) is not None
    guild = client.get_guild(sub.guild_id)
    name = guild.name if guild is not None and not guild.unavailable else None
    server = f" in **{name}**" if name else ""
    return (m.PROMPT_LATER if later else m.PROMPT_FIRST).format(server=server)


class WeeklyPromptJob(WithDeps):
    kind = WEEKLY_JOB

    def __init__(self, deps: ServiceDeps, repo: AccountabilityRepository) -> None:
        super().__init__(deps)
        self.repo = repo

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due, label = logic.next_prompt(logic.WeeklyRule.from_rule(dict(rule)), after)
        return Occurrence(due, label)

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return GRACE

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        subscription = await self.repo.subscription_by_id(int(run.key))
        if subscription is None or not subscription.active:
            async with self.store.transaction() as conn:
                await self.scheduler.remove_job(conn, WEEKLY_JOB, run.key)
            return "skipped", "left"
        week = await self.repo.open_week(subscription.id, run.occurrence, self.clock.now())
        text = await prompt_text(self.client, self.repo, subscription, week)
        view = one_button("open", week.id, m.BUTTON_START)
        try:
            # The nonce makes a re-send of this run (after a crash or a retry) show only once.
            await self.sender.send_dm(
                subscription.user_id, nonce=run.nonce, content=text, view=view
            )
        except PermanentFailure as failure:
            if failure.reason != "dms_closed":
                return "failed", failure.reason
            return await self._queue_thread(subscription, week)
        await self.repo.mark_delivered(week.id, "dm", None)
        return "done", None

    async def _queue_thread(self, sub: Subscription, week: Week) -> tuple[Outcome, str | None]:
        """DMs closed: the week's private thread, as a job of its own, due now. Put again by a
        re-sent run, it is the same job (keyed by the week) and runs once."""
        if await accountability_channel(self.store, sub.guild_id) is None:
            log.info("Weekly check-in not delivered: DMs closed and no accountability channel")
            return "failed", "dms_closed"
        now = self.clock.now()
        async with self.store.transaction() as conn:
            await self.scheduler.put_job(
                conn,
                THREAD_JOB,
                str(week.id),
                {"due": to_epoch(now)},
                after=now - timedelta(seconds=1),
                guild_id=sub.guild_id,
            )
        return "done", "thread"


class PrivateThreadJob(WithDeps):
    """The week's prompt in a private thread of the accountability channel, made once."""

    kind = THREAD_JOB
    #: Its create looks before it makes (bot.creating): safe to run again after a crash.
    resumable = True

    def __init__(self, deps: ServiceDeps, repo: AccountabilityRepository) -> None:
        super().__init__(deps)
        self.repo = repo

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, _THREAD_OCCURRENCE) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return GRACE

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        week = await self.repo.week(int(run.key))
        sub = await self.repo.subscription_by_id(week.subscription_id) if week else None
        if week is None or sub is None or not sub.active:
            return "skipped", "left"
        # A server in an outage: wait for it (woken when it is back), never "failed".
        self.sender.check_guild_available(sub.guild_id)
        channel_id = await accountability_channel(self.store, sub.guild_id)
        if channel_id is None:
            return "failed", "dms_closed"
        looked = run.attempt > 1
        try:
            thread_id = week.thread_id
            if thread_id is None:
                title = m.THREAD_NAME.format(day=f"{date.fromisoformat(week.week_of):%d %b}")
                name = marked_name(title, self.creator.marker(THREAD_JOB, run.key))
                thread_id = await self.creator.private_thread(
                    channel_id, guild_id=sub.guild_id, name=name, look_first=looked
                )
                await self.repo.mark_delivered(week.id, "thread", thread_id)
            member = sub.user_id
            target = thread_id
            await self.sender.call(lambda: self.client.http.add_user_to_thread(target, member))
            if looked and await self._prompt_is_in(thread_id):
                return "done", "thread"
            text = await prompt_text(self.client, self.repo, sub, week)
            await self.sender.send(
                thread_id,
                nonce=run.nonce,
                guild_id=sub.guild_id,
                content=m.PROMPT_IN_THREAD.format(member=f"<@{member}>") + "\n" + text,
                view=one_button("open", week.id, m.BUTTON_START),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    roles=False,
                    users=[discord.Object(member)],
                    replied_user=False,
                ),
            )
        except PermanentFailure as failure:
            log.warning("Weekly check-in thread failed (%s)", failure.reason)
            return "failed", f"thread_{failure.reason}"
        return "done", "thread"

    async def _prompt_is_in(self, thread_id: int) -> bool:
        """Whether an earlier attempt already posted the prompt (past Discord's nonce window a
        second send would show twice): the thread is the bot's own, so any message of the bot."""
        http = self.client.http
        messages = await self.sender.call(lambda: http.logs_from(thread_id, _LOOK_BACK))
        me = self.client.user.id if self.client.user else None
        return any(str(msg.get("author", {}).get("id")) == str(me) for msg in messages)
