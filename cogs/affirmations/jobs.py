"""The scheduler's view of affirmations: when each post is due, and running it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from bot.db import Connection
from bot.scheduling import DueRun, Occurrence, RunOutcome
from bot.timekeeping import LocalSchedule, next_occurrence
from cogs.affirmations.posting import LATE_AFTER, Card, Poster
from cogs.affirmations.repository import DM_JOB, GUILD_JOB, DMSubscription, GuildSchedule


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

    def guild_of(self, key: str, rule: Mapping[str, Any]) -> int:
        """The server a post goes to (a fleet's process of its shard claims it first)."""
        return int(key)

    async def prepare_in(
        self, conn: Connection, run: DueRun
    ) -> tuple[GuildSchedule | None, Card | None]:
        """The schedule and today's card, read in the claim (bot.scheduling.PreparesInClaim)."""
        return await self.poster.guild_post_in(conn, int(run.key), run.manual)

    async def run(self, run: DueRun) -> RunOutcome:
        guild_id = int(run.key)
        # Discord reports the server unavailable (an outage): RetryLater, nothing drawn.
        self.poster.sender.check_guild_available(guild_id)
        prepared: tuple[GuildSchedule | None, Card | None] | None = run.prepared
        if prepared is None:
            prepared = await self.poster.prepare_guild_post(guild_id, manual=run.manual)
        schedule, card = prepared
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

    async def prepare_in(
        self, conn: Connection, run: DueRun
    ) -> tuple[DMSubscription | None, Card | None]:
        """The subscription and today's card, read in the claim."""
        return await self.poster.dm_in(conn, int(run.key))

    async def run(self, run: DueRun) -> RunOutcome:
        prepared: tuple[DMSubscription | None, Card | None] | None = run.prepared
        if prepared is None:
            prepared = await self.poster.prepare_dm(int(run.key))
        subscription, card = prepared
        if subscription is None or card is None:
            return "skipped", "stopped"
        return await self.poster.send_dm(
            subscription,
            card,
            date.fromisoformat(run.occurrence),
            nonce=run.nonce,
            late=run.lateness > LATE_AFTER,
        )
