"""SQL for check-ins and streaks. Writes take the caller's transaction connection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.db import Store
from bot.member_settings import ZONE_SOURCES, ResolvedZone, zone_from
from bot.scheduling import Recorder, to_epoch
from cogs.streaks.logic import History, Pause, RestRule, activity, resumed_pause


@dataclass(frozen=True, slots=True)
class Profile:
    guild_id: int
    user_id: int
    celebrate: bool
    leaderboard: bool
    zone: str
    freeze_told_through: date | None


@dataclass(frozen=True, slots=True)
class Counts:
    applications: int | None = None
    networking: int | None = None
    skills: int | None = None
    note: str | None = None

    @property
    def activity(self) -> int:
        return activity((self.applications, self.networking, self.skills))

    @property
    def empty(self) -> bool:
        return self == Counts()


@dataclass(frozen=True, slots=True)
class Member:
    """What /checkin and /streak show read about a member (StreakRepository.member)."""

    zone: ResolvedZone
    profile: Profile | None
    history: History


def _profile(row: aiosqlite.Row) -> Profile:
    told = row["freeze_told_through"]
    return Profile(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        celebrate=bool(row["celebrate"]),
        leaderboard=bool(row["leaderboard"]),
        zone=row["zone"],
        freeze_told_through=date.fromisoformat(told) if told else None,
    )


def _counts(row: aiosqlite.Row) -> Counts:
    return Counts(row["applications"], row["networking"], row["skills"], row["note"])


# The member's rows of five tables in one result: (kind, two dates, three numbers), each table's
# rows in the columns below; typed NULLs so both databases give every column one type.
# The member's zone rides along (bot.member_settings' sources), so /streak show is one statement.
_PROFILE, _CHECKIN, _REST, _PAUSE, _TRAVEL, _ZONE = range(6)
_NO_TEXT, _NO_NUMBER = "CAST(NULL AS TEXT)", "CAST(NULL AS INTEGER)"
_MEMBER = (
    f"SELECT {_PROFILE} AS kind, zone AS d1, freeze_told_through AS d2, celebrate AS n1, "
    f"leaderboard AS n2, {_NO_NUMBER} AS n3 "
    "FROM streak_profiles WHERE guild_id = ? AND user_id = ? "
    f"UNION ALL SELECT {_CHECKIN}, local_date, {_NO_TEXT}, applications, networking, skills "
    "FROM streak_checkins WHERE guild_id = ? AND user_id = ? "
    f"UNION ALL SELECT {_REST}, effective_from, {_NO_TEXT}, days_mask, {_NO_NUMBER}, "
    f"{_NO_NUMBER} FROM streak_rest_rules WHERE guild_id = ? AND user_id = ? "
    f"UNION ALL SELECT {_PAUSE}, start_date, end_date, "
    f"CASE WHEN resumed_on IS NULL THEN 0 ELSE 1 END, {_NO_NUMBER}, {_NO_NUMBER} "
    "FROM streak_pauses WHERE guild_id = ? AND user_id = ? "
    f"UNION ALL SELECT {_TRAVEL}, local_date, {_NO_TEXT}, {_NO_NUMBER}, {_NO_NUMBER}, "
    f"{_NO_NUMBER} FROM streak_travel_days WHERE guild_id = ? AND user_id = ? "
    f"UNION ALL SELECT {_ZONE}, {ZONE_SOURCES[0]}, {ZONE_SOURCES[1]}, {_NO_NUMBER}, "
    f"{_NO_NUMBER}, {_NO_NUMBER} "
    "ORDER BY kind, d1, d2"
)


def _member_params(guild_id: int, user_id: int) -> tuple[int, ...]:
    return (guild_id, user_id) * 5 + (user_id, guild_id)


def _member(guild_id: int, user_id: int, rows: Iterable[aiosqlite.Row]) -> Member:
    zone = zone_from(None, None)
    profile: Profile | None = None
    checkins: dict[date, int] = {}
    rest: list[RestRule] = []
    pauses: list[Pause] = []
    travel: set[date] = set()
    for kind, d1, d2, n1, n2, n3 in rows:
        if kind == _CHECKIN:
            checkins[date.fromisoformat(d1)] = activity((n1, n2, n3))
        elif kind == _PROFILE:
            profile = Profile(
                guild_id,
                user_id,
                celebrate=bool(n1),
                leaderboard=bool(n2),
                zone=d1,
                freeze_told_through=date.fromisoformat(d2) if d2 else None,
            )
        elif kind == _REST:
            rest.append(RestRule(date.fromisoformat(d1), n1))
        elif kind == _PAUSE:
            pauses.append(Pause(date.fromisoformat(d1), date.fromisoformat(d2), resumed=bool(n1)))
        elif kind == _TRAVEL:
            travel.add(date.fromisoformat(d1))
        else:
            zone = zone_from(d1, d2)
    return Member(zone, profile, History(checkins, rest, pauses, frozenset(travel)))


class StreakRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- profiles -------------------------------------------------------------------------------

    async def profile(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int
    ) -> Profile | None:
        cursor = await conn.execute(
            "SELECT * FROM streak_profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        row = await cursor.fetchone()
        return _profile(row) if row else None

    async def ensure_profile(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, zone: str, now: datetime
    ) -> Profile:
        await conn.execute(
            "INSERT INTO streak_profiles (guild_id, user_id, zone, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO NOTHING",
            (guild_id, user_id, zone, to_epoch(now), to_epoch(now)),
        )
        found = await self.profile(conn, guild_id, user_id)
        assert found is not None
        return found

    async def set_flag(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        name: str,
        value: bool,
        now: datetime,
    ) -> None:
        if name not in ("celebrate", "leaderboard"):
            raise ValueError(name)
        await conn.execute(
            f"UPDATE streak_profiles SET {name} = ?, updated_at = ? "
            "WHERE guild_id = ? AND user_id = ?",
            (int(value), to_epoch(now), guild_id, user_id),
        )

    async def set_zone(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        zone: str,
        travel: frozenset[date],
        now: datetime,
    ) -> None:
        await conn.execute(
            "UPDATE streak_profiles SET zone = ?, updated_at = ? "
            "WHERE guild_id = ? AND user_id = ?",
            (zone, to_epoch(now), guild_id, user_id),
        )
        await conn.executemany(
            "INSERT INTO streak_travel_days (guild_id, user_id, local_date) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(guild_id, user_id, d.isoformat()) for d in sorted(travel)],
        )

    async def set_freeze_told(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, through: date
    ) -> None:
        await conn.execute(
            "UPDATE streak_profiles SET freeze_told_through = ? WHERE guild_id = ? AND user_id = ?",
            (through.isoformat(), guild_id, user_id),
        )

    async def profiles_of(self, user_id: int) -> list[Profile]:
        rows = await self.store.fetchall(
            "SELECT * FROM streak_profiles WHERE user_id = ? ORDER BY guild_id", (user_id,)
        )
        return [_profile(r) for r in rows]

    async def leaderboard_profiles(self, guild_id: int) -> list[Profile]:
        rows = await self.store.fetchall(
            "SELECT * FROM streak_profiles WHERE guild_id = ? AND leaderboard = 1 ORDER BY user_id",
            (guild_id,),
        )
        return [_profile(r) for r in rows]

    # -- history --------------------------------------------------------------------------------

    async def member(self, conn: aiosqlite.Connection, guild_id: int, user_id: int) -> Member:
        """The member's zone, profile and whole history in one statement (one round trip on
        PostgreSQL, where /checkin and /streak show read it on every call)."""
        cursor = await conn.execute(_MEMBER, _member_params(guild_id, user_id))
        return _member(guild_id, user_id, await cursor.fetchall())

    async def member_now(self, guild_id: int, user_id: int) -> Member:
        """The same as one statement of its own, outside a transaction (one statement reads
        one snapshot): /streak show when it has nothing to write."""
        rows = await self.store.fetchall(_MEMBER, _member_params(guild_id, user_id))
        return _member(guild_id, user_id, rows)

    async def history(self, conn: aiosqlite.Connection, guild_id: int, user_id: int) -> History:
        return (await self.member(conn, guild_id, user_id)).history

    async def save_checkin(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        day: date,
        counts: Counts,
        zone: str,
        now: datetime,
        *,
        backfilled: bool,
    ) -> Counts:
        """Insert the day's check-in, or update the counts given (a count left out keeps the
        one stored); one statement. Returns the counts the day now holds."""
        cursor = await conn.execute(
            "INSERT INTO streak_checkins (guild_id, user_id, local_date, applications, "
            "networking, skills, note, timezone, backfilled, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id, local_date) DO UPDATE SET "
            "applications = COALESCE(excluded.applications, streak_checkins.applications), "
            "networking = COALESCE(excluded.networking, streak_checkins.networking), "
            "skills = COALESCE(excluded.skills, streak_checkins.skills), "
            "note = COALESCE(excluded.note, streak_checkins.note), "
            "updated_at = excluded.updated_at "
            "RETURNING applications, networking, skills, note",
            (
                guild_id,
                user_id,
                day.isoformat(),
                counts.applications,
                counts.networking,
                counts.skills,
                counts.note,
                zone,
                int(backfilled),
                to_epoch(now),
                to_epoch(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return _counts(row)

    # -- rest days and pauses -------------------------------------------------------------------

    async def set_rest(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, start: date, mask: int
    ) -> None:
        await conn.execute(
            "INSERT INTO streak_rest_rules (guild_id, user_id, effective_from, days_mask) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id, effective_from) "
            "DO UPDATE SET days_mask = excluded.days_mask",
            (guild_id, user_id, start.isoformat(), mask),
        )

    async def add_pause(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, pause: Pause, now: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO streak_pauses (guild_id, user_id, start_date, end_date, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (guild_id, user_id, pause.start.isoformat(), pause.end.isoformat(), to_epoch(now)),
        )

    async def end_pause(
        self, conn: aiosqlite.Connection, guild_id: int, user_id: int, pause: Pause, today: date
    ) -> None:
        """End a pause that covers today. Today stays covered: a day that was paused at any
        moment is never a missed day, so resuming (even the day it began) costs nothing."""
        ended = resumed_pause(pause, today)
        await conn.execute(
            "UPDATE streak_pauses SET end_date = ?, resumed_on = ? WHERE guild_id = ? "
            "AND user_id = ? AND start_date = ? AND end_date = ? AND resumed_on IS NULL",
            (
                ended.end.isoformat(),
                today.isoformat(),
                guild_id,
                user_id,
                pause.start.isoformat(),
                pause.end.isoformat(),
            ),
        )

    # -- celebrations ---------------------------------------------------------------------------

    async def claim_celebration(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        run_start: date,
        milestone: int,
        now: datetime,
    ) -> bool:
        cursor = await conn.execute(
            "INSERT INTO streak_celebrations (guild_id, user_id, run_start, milestone, posted_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, run_start.isoformat(), milestone, to_epoch(now)),
        )
        return cursor.rowcount == 1

    async def celebration_wanted(
        self, guild_id: int, user_id: int, run_start: date, milestone: int
    ) -> bool:
        """The milestone is still claimed (not deleted with the member's data) and the member
        still wants celebrations (they may have turned them off since)."""
        row = await self.store.fetchone(
            "SELECT p.celebrate FROM streak_celebrations c JOIN streak_profiles p "
            "ON p.guild_id = c.guild_id AND p.user_id = c.user_id "
            "WHERE c.guild_id = ? AND c.user_id = ? AND c.run_start = ? AND c.milestone = ?",
            (guild_id, user_id, run_start.isoformat(), milestone),
        )
        return row is not None and bool(row[0])


def celebration_posted(
    guild_id: int, user_id: int, run_start: date, milestone: int, message_id: int
) -> Recorder:
    """The post's id, written in the transaction that records the run as done."""
    params = (message_id, guild_id, user_id, run_start.isoformat(), milestone)

    async def record(conn: aiosqlite.Connection) -> None:
        await conn.execute(
            "UPDATE streak_celebrations SET message_id = ? WHERE guild_id = ? AND user_id = ? "
            "AND run_start = ? AND milestone = ?",
            params,
        )

    return record
