"""The scheduler's view of affirmations: when each post is due, and running it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from bot.scheduling import DueRun, Occurrence, RunOutcome
from bot.timekeeping import LocalSchedule, next_occurrence
from cogs.affirmations.posting import LATE_AFTER, Poster
from cogs.affirmations.repository import DM_JOB, GUILD_JOB


def make_rule(schedule: LocalSchedule) -> dict[str, Any]:
    return schedule.to_rule()


class _DailyJob:
    def __init__(self, poster: Poster, grace_minutes: int) -> None:
        self.poster = poster
        self._grace = timedelta(minutes=grace_minutes)

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        return next_occurrence(LocalSchedule.from_rule(rule), after)

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return self._grace


class GuildPostJob(_DailyJob):
    kind = GUILD_JOB

    async def run(self, run: DueRun) -> RunOutcome:
        schedule, card = await self.poster.prepare_guild_post(int(run.key), manual=run.manual)
        if schedule is None or card is None:
            return "skipped", "paused"
        return await self.poster.post_to_guild(
            schedule,
            card,
            date.fromisoformat(run.occurrence),
            nonce=run.nonce,
            source="now" if run.manual else "schedule",
            late=not run.manual and run.lateness > LATE_AFTER,
        )


class DMJob(_DailyJob):
    kind = DM_JOB

    async def run(self, run: DueRun) -> RunOutcome:
        subscription, card = await self.poster.prepare_dm(int(run.key))
        if subscription is None or card is None:
            return "skipped", "stopped"
        return await self.poster.send_dm(
            subscription,
            card,
            date.fromisoformat(run.occurrence),
            nonce=run.nonce,
            late=run.lateness > LATE_AFTER,
        )
