"""The affirmations' use cases: transactions, scheduling and the run path live here, below the
handlers (cog.py), which only parse input and turn these outcomes into words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

import aiosqlite

from bot.clock import Clock
from bot.db import Store
from bot.guild_settings import GuildSettingsRepository
from bot.scheduling import Occurrence, RunResult, Scheduler, from_epoch
from bot.timekeeping import DaySet, LocalSchedule, local_today
from cogs.affirmations import logic
from cogs.affirmations.messages import MAX_CUSTOM_PER_SERVER
from cogs.affirmations.posting import Drawn, Poster
from cogs.affirmations.repository import (
    DM_JOB,
    GUILD_JOB,
    AffirmationRepository,
    DMSubscription,
    GuildSchedule,
)

# A schedule's next occurrences already taken by hand (say by /affirmations now) are skipped
# when (re)scheduling; more than a week of them cannot happen (one per local day).
_MAX_SKIPS = 10

TodayState = Literal["posted", "sending", "not_posted"]
AddOutcome = int | Literal["duplicate", "too_many"]


@dataclass(frozen=True, slots=True)
class Today:
    state: TodayState
    posted_at: datetime | None = None


class AffirmationService:
    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        scheduler: Scheduler,
        repo: AffirmationRepository,
        poster: Poster,
        bundled_texts: list[str],
    ) -> None:
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.repo = repo
        self.poster = poster
        self.guild_settings = GuildSettingsRepository(store)
        # Duplicate keys of the bundled affirmations, so a server cannot add a copy.
        self._bundled_keys = frozenset(
            logic.normalize_for_duplicate_check(t) for t in bundled_texts
        )

    # -- scheduling --------------------------------------------------------------------------------

    async def _schedule(
        self, conn: aiosqlite.Connection, kind: str, key: str, rule: dict[str, Any]
    ) -> Occurrence | None:
        """(Re)create a job inside the caller's transaction, pointed at the next occurrence that
        will really run: one already taken (posted by hand today) is skipped, so what status
        shows as the next post is the instant that posts."""
        nxt = await self.scheduler.put_job(conn, kind, key, rule)
        for _ in range(_MAX_SKIPS):
            if nxt is None or not await self.repo.occurrence_taken(conn, kind, key, nxt.label):
                return nxt
            nxt = await self.scheduler.put_job(conn, kind, key, rule, after=nxt.due_at)
        return nxt

    async def next_post(self, guild_id: int) -> Occurrence | None:
        return await self.scheduler.next_run(GUILD_JOB, str(guild_id))

    # -- a server's schedule -----------------------------------------------------------------------

    async def schedule(self, guild_id: int) -> GuildSchedule | None:
        return await self.repo.schedule(guild_id)

    async def default_timezone(self, guild_id: int) -> str | None:
        return (await self.guild_settings.get(guild_id)).default_timezone

    async def save_schedule(self, schedule: GuildSchedule) -> Occurrence:
        async with self.store.transaction() as conn:
            await self.repo.save_schedule(conn, schedule, self.clock.now())
            nxt = await self._schedule(
                conn, GUILD_JOB, str(schedule.guild_id), schedule.post_schedule().to_rule()
            )
        assert nxt is not None  # a daily schedule never ends
        return nxt

    async def save_settings(self, schedule: GuildSchedule) -> Occurrence | None:
        """Save a schedule changed from /setup: a running one is scheduled as /affirmations
        setup schedules it; a paused one stays paused, with nothing scheduled."""
        if not schedule.paused:
            return await self.save_schedule(schedule)
        async with self.store.transaction() as conn:
            await self.repo.save_schedule(conn, schedule, self.clock.now())
        return None

    async def pause(self, schedule: GuildSchedule) -> None:
        await self.poster.pause(schedule, "by_admin")

    async def resume(self, schedule: GuildSchedule) -> Occurrence:
        async with self.store.transaction() as conn:
            await self.repo.resume(conn, schedule.guild_id, self.clock.now())
            nxt = await self._schedule(
                conn, GUILD_JOB, str(schedule.guild_id), schedule.post_schedule().to_rule()
            )
        assert nxt is not None
        return nxt

    async def running_next_post(self, schedule: GuildSchedule) -> Occurrence:
        """The next post of a running schedule, repairing a missing job (cannot normally happen)."""
        nxt = await self.next_post(schedule.guild_id)
        if nxt is None:
            async with self.store.transaction() as conn:
                nxt = await self._schedule(
                    conn, GUILD_JOB, str(schedule.guild_id), schedule.post_schedule().to_rule()
                )
        assert nxt is not None
        return nxt

    def today(self, schedule: GuildSchedule) -> date:
        return local_today(self.clock.now(), schedule.timezone)

    async def post_now(self, schedule: GuildSchedule) -> RunResult:
        """Post today's affirmation through the scheduler's own run path (same claim, nonce and
        record as the scheduled run), then point the job past today."""
        key = str(schedule.guild_id)
        result = await self.scheduler.run_now(GUILD_JOB, key, self.today(schedule).isoformat())
        current = await self.repo.schedule(schedule.guild_id)
        if current is not None and not current.paused:
            async with self.store.transaction() as conn:
                await self._schedule(conn, GUILD_JOB, key, current.post_schedule().to_rule())
        return result

    async def already_posted_today(self, schedule: GuildSchedule) -> bool:
        label = self.today(schedule).isoformat()
        return await self.scheduler.run_state(GUILD_JOB, str(schedule.guild_id), label) == "done"

    async def today_state(self, schedule: GuildSchedule) -> Today:
        label = self.today(schedule).isoformat()
        posted = await self.repo.post_on(schedule.guild_id, label)
        if posted:
            return Today("posted", from_epoch(posted["posted_at"]))
        state = await self.scheduler.run_state(GUILD_JOB, str(schedule.guild_id), label)
        return Today("sending" if state == "in_progress" else "not_posted")

    async def next_post_date(self, schedule: GuildSchedule | None) -> date:
        """The local date the next post is for (today's date where nothing is scheduled)."""
        if schedule is None:
            return local_today(self.clock.now(), "UTC")
        nxt = None if schedule.paused else await self.next_post(schedule.guild_id)
        return date.fromisoformat(nxt.label) if nxt is not None else self.today(schedule)

    async def preview(self, guild_id: int) -> Drawn:
        return await self.poster.peek_for_guild(guild_id)

    # -- the server's own affirmations ----------------------------------------------------------

    async def add_custom(self, guild_id: int, text: str) -> AddOutcome:
        """Validate (raises InvalidInput) and store; the number, or why it was not added."""
        cleaned = logic.validate_custom_text(text)
        normalized = logic.normalize_for_duplicate_check(cleaned)
        if normalized in self._bundled_keys:
            return "duplicate"
        async with self.store.transaction() as conn:
            count, duplicate = await self.repo.custom_stats(conn, guild_id, normalized)
            if duplicate:
                return "duplicate"
            if count >= MAX_CUSTOM_PER_SERVER:
                return "too_many"
            return await self.repo.add_custom(conn, guild_id, cleaned, normalized, self.clock.now())

    async def remove_custom(self, guild_id: int, number: int) -> str | None:
        async with self.store.transaction() as conn:
            return await self.repo.remove_custom(conn, guild_id, number)

    # -- a member's DMs ----------------------------------------------------------------------------

    async def dm_on(self, user_id: int, local_time: time, zone: str) -> Occurrence:
        rule = LocalSchedule.build(local_time, zone, DaySet.every_day()).to_rule()
        async with self.store.transaction() as conn:
            await self.repo.subscribe_dm(conn, user_id, local_time, zone, self.clock.now())
            nxt = await self._schedule(conn, DM_JOB, str(user_id), rule)
        assert nxt is not None
        return nxt

    async def dm_off(self, user_id: int) -> bool:
        async with self.store.transaction() as conn:
            stopped = await self.repo.stop_dm(conn, user_id, "by_member", self.clock.now())
            await self.scheduler.remove_job(conn, DM_JOB, str(user_id))
        return stopped

    async def dm_status(self, user_id: int) -> tuple[DMSubscription | None, Occurrence | None]:
        subscription = await self.repo.dm_subscription(user_id)
        nxt = await self.scheduler.next_run(DM_JOB, str(user_id))
        return subscription, nxt
