"""Weekly accountability use cases: joining and leaving (subscription and schedule change in one
transaction), following a zone change, and the summary of a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.clock import Clock
from bot.db import Store
from bot.member_settings import resolve_timezone
from bot.scheduling import Occurrence, Scheduler
from bot.timekeeping import local_today
from cogs.accountability import logic
from cogs.accountability.repository import (
    WEEKLY_JOB,
    AccountabilityRepository,
    Subscription,
    Week,
)


@dataclass(frozen=True, slots=True)
class PassedWeek:
    """A prompt whose week is over: the current week's, if its prompt came, else the next."""

    current: Week | None
    next_prompt: Occurrence | None


class AccountabilityService:
    def __init__(self, store: Store, clock: Clock, scheduler: Scheduler) -> None:
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.repo = AccountabilityRepository(store)

    async def join(
        self, guild_id: int, user_id: int, weekday: int, local_time: time
    ) -> tuple[logic.WeeklyRule, Occurrence]:
        """Subscribe (or change day and time) in the member's zone; the first prompt."""
        zone = (await resolve_timezone(self.store, user_id, guild_id)).name
        rule = logic.WeeklyRule(weekday, local_time, zone)
        async with self.store.transaction() as conn:
            sub_id = await self.repo.subscribe(conn, guild_id, user_id, rule, self.clock.now())
            nxt = await self.scheduler.put_job(
                conn, WEEKLY_JOB, str(sub_id), rule.to_rule(), guild_id=guild_id
            )
        assert nxt is not None  # a weekly rule never ends
        return rule, nxt

    async def leave(self, sub: Subscription) -> bool:
        async with self.store.transaction() as conn:
            left = await self.repo.leave(conn, sub.id, self.clock.now())
            await self.scheduler.remove_job(conn, WEEKLY_JOB, str(sub.id))
        return left

    async def next_prompt(self, sub: Subscription) -> Occurrence | None:
        return await self.scheduler.next_run(WEEKLY_JOB, str(sub.id))

    async def follow_zone(self, user_id: int) -> None:
        """The member's zone changed: each check-in keeps its local day and time in the new one."""
        now = self.clock.now()
        for sub in await self.repo.subscriptions_of(user_id):
            zone = (await resolve_timezone(self.store, user_id, sub.guild_id)).name
            if zone == sub.rule.zone:
                continue
            rule = logic.WeeklyRule(sub.rule.weekday, sub.rule.local_time, zone)
            async with self.store.transaction() as conn:
                await self.repo.set_zone(conn, sub.id, zone, now)
                await self.scheduler.put_job(
                    conn, WEEKLY_JOB, str(sub.id), rule.to_rule(), guild_id=sub.guild_id
                )

    async def passed(self, week: Week, sub: Subscription) -> PassedWeek | None:
        """None while ``week`` is the member's current week; else where to go instead."""
        latest = await self.repo.latest_week(sub.id)
        newer = latest is not None and latest.week_of > week.week_of
        today = local_today(self.clock.now(), sub.rule.zone)
        if not logic.week_has_passed(date.fromisoformat(week.week_of), today, newer_prompt=newer):
            return None
        current = None
        if newer and latest is not None:
            since = date.fromisoformat(latest.week_of)
            if not logic.week_has_passed(since, today, newer_prompt=False):
                current = latest
        nxt = await self.next_prompt(sub) if sub.active else None
        return PassedWeek(current, nxt)

    async def save_review(
        self, previous_id: int, reviews: dict[int, str], reflection: str
    ) -> dict[str, int]:
        """Store last week's review; how many goals were done, partly, not yet."""
        try:
            cleaned = logic.clean_reflection(reflection)
        except ValueError:
            cleaned = " ".join(reflection.split())[: logic.REFLECTION_MAX]
        await self.repo.save_review(previous_id, reviews, cleaned, self.clock.now())
        return {value: sum(1 for r in reviews.values() if r == value) for value in logic.REVIEWS}

    async def save_goals(self, week: Week, texts: list[str]) -> None:
        """Raises ValueError when no goal was given."""
        await self.repo.save_goals(week.id, logic.clean_goals(texts), self.clock.now())

    async def summary(self, week: Week, words: logic.SummaryWords) -> str:
        previous = await self.repo.previous_week(week)
        prev_goals = await self.repo.goals(previous.id) if previous else []
        lines = logic.summary_lines(
            await self.repo.goals(week.id),
            prev_goals,
            previous.reflection if previous else None,
            words,
        )
        return "\n".join(lines)
