"""Check-in and streak use cases: one transaction each, the arithmetic from logic.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import aiosqlite

from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.db import Store
from bot.member_settings import resolve_timezone
from bot.scheduling import Scheduler
from cogs.streaks import logic
from cogs.streaks.jobs import MILESTONE_JOB, MilestoneKey, milestone_rule, put_after
from cogs.streaks.logic import History, Pause, StreakState
from cogs.streaks.repository import Counts, Profile, StreakRepository


class StreakRefusal(Exception):
    """A request that changes nothing; ``key`` names the message to show."""

    def __init__(self, key: str, **details: object) -> None:
        super().__init__(key)
        self.key = key
        self.details = details


@dataclass(frozen=True, slots=True)
class Snapshot:
    profile: Profile
    history: History
    state: StreakState
    zone: str


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    day: date
    created: bool
    backfilled: bool
    counts: Counts
    snapshot: Snapshot
    # The milestone announced (claimed for this streak, its post scheduled), if any.
    milestone: int | None
    # The highest milestone this check-in reached (celebrated in the reply even when not shared).
    reached: int | None
    # Days a freeze covered that the member has not been told about yet.
    freezes_used: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    user_id: int
    current: int
    week_done: int
    week_target: int


class StreakService:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        scheduler: Scheduler | None = None,
        anonymizer: Anonymizer | None = None,
    ) -> None:
        """Without a scheduler and anonymizer (benchmarks of the store) no milestone is
        announced; the anonymizer seals the member in the milestone post's job key."""
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.anonymizer = anonymizer
        self.repo = StreakRepository(store)

    async def _open(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, zone: str
    ) -> Profile:
        """The member's profile, its counted zone brought up to date (rule 3 travel days)."""
        now = self.clock.now()
        profile = await self.repo.ensure_profile(conn, guild_id, user_id, zone, now)
        if profile.zone != zone:
            travel = logic.travel_days(now, profile.zone, zone)
            await self.repo.set_zone(conn, guild_id, user_id, zone, travel, now)
            profile = await self.repo.ensure_profile(conn, guild_id, user_id, zone, now)
        return profile

    async def _snapshot(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, zone: str | None = None
    ) -> Snapshot:
        """The member in `zone` (None: the zone they resolve to, read in the same statement).
        One statement when the member has a profile in that zone: every call but the first and
        those after a zone change, which open the profile first and read again."""
        read = await self.repo.member(conn, guild_id, user_id)
        zone = read.zone.name if zone is None else zone
        if read.profile is None or read.profile.zone != zone:
            await self._open(conn, guild_id, user_id, zone)
            read = await self.repo.member(conn, guild_id, user_id)
        assert read.profile is not None
        return self._state(read.profile, read.history, zone)

    def _state(self, profile: Profile, history: History, zone: str) -> Snapshot:
        latest = max(history.checkins) if history.checkins else None
        today = logic.effective_today(self.clock.now(), zone, latest)
        return Snapshot(profile, history, logic.compute(history, today), zone)

    async def zone_for(self, guild_id: int, user_id: int) -> str:
        return (await resolve_timezone(self.store, user_id, guild_id)).name

    async def snapshot(self, guild_id: int, user_id: int) -> Snapshot:
        """One statement, no transaction, when there is nothing to write (the member has a
        profile in their zone: every call but the first and the first after a zone change)."""
        read = await self.repo.member_now(guild_id, user_id)
        if read.profile is not None and read.profile.zone == read.zone.name:
            return self._state(read.profile, read.history, read.zone.name)
        return await self.store.run(self._snapshot, guild_id, user_id)

    async def note_zone_change(self, user_id: int) -> None:
        """The member changed /timezone: count travel days now, at the moment of the change."""
        for profile in await self.repo.profiles_of(user_id):
            zone = await self.zone_for(profile.guild_id, user_id)
            async with self.store.transaction() as conn:
                await self._open(conn, profile.guild_id, user_id, zone)

    async def checkin(
        self,
        guild_id: int,
        user_id: int,
        counts: Counts,
        *,
        yesterday: bool,
        celebrations_possible: bool,
    ) -> CheckinOutcome:
        # One transaction, run whole on SQLite's thread (Store.run): one round trip.
        return await self.store.run(
            self._checkin, guild_id, user_id, counts, yesterday, celebrations_possible
        )

    async def _checkin(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        counts: Counts,
        yesterday: bool,
        celebrations_possible: bool,
    ) -> CheckinOutcome:
        now = self.clock.now()
        before = await self._snapshot(conn, guild_id, user_id)
        zone = before.zone
        day = before.state.today - timedelta(days=1) if yesterday else before.state.today
        if yesterday and day in before.history.checkins:
            raise StreakRefusal("already_counted", day=day)
        created = day not in before.history.checkins
        stored = await self.repo.save_checkin(
            conn, guild_id, user_id, day, counts, zone, now, backfilled=yesterday
        )
        # The history after the write, without reading it again: the same rows but this day's.
        checkins = {**before.history.checkins, day: stored.activity}
        after = self._state(before.profile, replace(before.history, checkins=checkins), zone)
        milestone = None
        crossed = logic.milestones_crossed(before.state.current, after.state.current)
        run_start = after.state.run_start
        announcing = self.scheduler is not None and self.anonymizer is not None
        wanted = after.profile.celebrate and celebrations_possible and announcing
        if created and crossed and run_start and wanted:
            for m in crossed:
                if await self.repo.claim_celebration(conn, guild_id, user_id, run_start, m, now):
                    milestone = m
            if milestone is not None:
                await self._announce(conn, MilestoneKey(guild_id, user_id, run_start, milestone))
        used = logic.freezes_used_since(after.state, after.profile.freeze_told_through)
        if used:
            await self.repo.set_freeze_told(conn, guild_id, user_id, used[-1])
        reached = crossed[-1] if created and crossed else None
        return CheckinOutcome(day, created, yesterday, stored, after, milestone, reached, used)

    async def _announce(self, conn: aiosqlite.Connection, key: MilestoneKey) -> None:
        """The milestone's post, as a scheduled job, in the check-in's own transaction."""
        assert self.scheduler is not None and self.anonymizer is not None
        now = self.clock.now()
        sealed = key.seal(self.anonymizer)
        await self.scheduler.put_job(
            conn,
            MILESTONE_JOB,
            sealed,
            milestone_rule(now),
            after=put_after(now),
            guild_id=key.guild_id,  # the server's work: its shard's process claims it first
        )

    async def take_freeze_notice(
        self, guild_id: int, user_id: int
    ) -> tuple[Snapshot, tuple[date, ...]]:
        """The snapshot, and frozen days not told yet (now marked as told). Read first without
        a transaction: only a freeze to tell needs one (which reads again, then writes)."""
        snap = await self.snapshot(guild_id, user_id)
        if not logic.freezes_used_since(snap.state, snap.profile.freeze_told_through):
            return snap, ()
        return await self.store.run(self._take_freeze_notice, guild_id, user_id)

    async def _take_freeze_notice(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int
    ) -> tuple[Snapshot, tuple[date, ...]]:
        snap = await self._snapshot(conn, guild_id, user_id)
        used = logic.freezes_used_since(snap.state, snap.profile.freeze_told_through)
        if used:
            await self.repo.set_freeze_told(conn, guild_id, user_id, used[-1])
        return snap, used

    # -- settings -------------------------------------------------------------------------------

    async def set_flag(self, guild_id: int, user_id: int, name: str, value: bool) -> None:
        zone = await self.zone_for(guild_id, user_id)
        async with self.store.transaction() as conn:
            await self._open(conn, guild_id, user_id, zone)
            await self.repo.set_flag(conn, guild_id, user_id, name, value, self.clock.now())

    async def set_rest_days(self, guild_id: int, user_id: int, mask: int) -> Snapshot:
        """Rest days apply from today on; the past keeps the rest days it had."""
        zone = await self.zone_for(guild_id, user_id)
        async with self.store.transaction() as conn:
            snap = await self._snapshot(conn, guild_id, user_id, zone)
            await self.repo.set_rest(conn, guild_id, user_id, snap.state.today, mask)
            return await self._snapshot(conn, guild_id, user_id, zone)

    async def pause(self, guild_id: int, user_id: int, days: int) -> Pause:
        if not 1 <= days <= logic.MAX_PAUSE_DAYS:
            raise StreakRefusal("pause_length")
        zone = await self.zone_for(guild_id, user_id)
        async with self.store.transaction() as conn:
            snap = await self._snapshot(conn, guild_id, user_id, zone)
            current = logic.active_pause(snap.history.pauses, snap.state.today)
            if current is not None:
                raise StreakRefusal("already_paused", until=current.end)
            pause = logic.pause_window(snap.state.today, days)
            await self.repo.add_pause(conn, guild_id, user_id, pause, self.clock.now())
        return pause

    async def resume(self, guild_id: int, user_id: int) -> None:
        zone = await self.zone_for(guild_id, user_id)
        async with self.store.transaction() as conn:
            snap = await self._snapshot(conn, guild_id, user_id, zone)
            current = logic.active_pause(snap.history.pauses, snap.state.today)
            if current is None:
                raise StreakRefusal("not_paused")
            await self.repo.end_pause(conn, guild_id, user_id, current, snap.state.today)

    # -- leaderboard ----------------------------------------------------------------------------

    async def leaderboard(self, guild_id: int) -> list[LeaderboardEntry]:
        """Only members who opted in, each in their own zone."""
        entries = []
        for profile in await self.repo.leaderboard_profiles(guild_id):
            snap = await self.snapshot(guild_id, profile.user_id)
            if not snap.profile.leaderboard:
                continue
            state = snap.state
            entries.append(
                LeaderboardEntry(profile.user_id, state.current, state.week_done, state.week_target)
            )
        return entries
