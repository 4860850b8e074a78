"""SQL for weekly accountability: subscriptions, the weeks prompted, goals and their review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import aiosqlite

from bot.db import Store
from bot.scheduling import to_epoch
from cogs.accountability.logic import Goal, WeeklyRule, last_week_since

WEEKLY_JOB = "accountability.weekly"
#: The week's private thread when the member's DMs are closed (keyed by the week's id).
THREAD_JOB = "accountability.thread"
# Follows a member's /timezone change (the durable event MEMBER_TIMEZONE_CHANGED).
ZONE_JOB = "accountability.zone_change"


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    guild_id: int
    user_id: int
    rule: WeeklyRule
    active: bool


@dataclass(frozen=True, slots=True)
class Week:
    id: int
    subscription_id: int
    week_of: str
    goals_set: bool
    reviewed: bool
    reflection: str | None
    shared_message_id: int | None
    thread_id: int | None


def _subscription(row: aiosqlite.Row) -> Subscription:
    hours, minutes = row["post_time"].split(":")
    return Subscription(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        rule=WeeklyRule(row["weekday"], time(int(hours), int(minutes)), row["timezone"]),
        active=bool(row["active"]),
    )


def _week(row: aiosqlite.Row) -> Week:
    return Week(
        id=row["id"],
        subscription_id=row["subscription_id"],
        week_of=row["week_of"],
        goals_set=row["goals_set_at"] is not None,
        reviewed=row["reviewed_at"] is not None,
        reflection=row["reflection"],
        shared_message_id=row["shared_message_id"],
        thread_id=row["thread_id"],
    )


class AccountabilityRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- subscriptions --------------------------------------------------------------------------

    async def subscribe(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        user_id: int,
        rule: WeeklyRule,
        now: datetime,
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO accountability_subscriptions (guild_id, user_id, weekday, post_time, "
            "timezone, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET weekday = excluded.weekday, "
            "post_time = excluded.post_time, timezone = excluded.timezone, active = 1, "
            "updated_at = excluded.updated_at RETURNING id",
            (
                guild_id,
                user_id,
                rule.weekday,
                rule.local_time.strftime("%H:%M"),
                rule.zone,
                to_epoch(now),
                to_epoch(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def subscription(self, guild_id: int, user_id: int) -> Subscription | None:
        row = await self.store.fetchone(
            "SELECT * FROM accountability_subscriptions WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return _subscription(row) if row else None

    async def subscription_by_id(self, subscription_id: int) -> Subscription | None:
        row = await self.store.fetchone(
            "SELECT * FROM accountability_subscriptions WHERE id = ?", (subscription_id,)
        )
        return _subscription(row) if row else None

    async def subscriptions_of(self, user_id: int) -> list[Subscription]:
        rows = await self.store.fetchall(
            "SELECT * FROM accountability_subscriptions WHERE user_id = ? AND active = 1",
            (user_id,),
        )
        return [_subscription(r) for r in rows]

    async def set_zone(
        self, conn: aiosqlite.Connection, subscription_id: int, zone: str, now: datetime
    ) -> None:
        await conn.execute(
            "UPDATE accountability_subscriptions SET timezone = ?, updated_at = ? WHERE id = ?",
            (zone, to_epoch(now), subscription_id),
        )

    async def leave(self, conn: aiosqlite.Connection, subscription_id: int, now: datetime) -> bool:
        cursor = await conn.execute(
            "UPDATE accountability_subscriptions SET active = 0, updated_at = ? "
            "WHERE id = ? AND active = 1",
            (to_epoch(now), subscription_id),
        )
        return cursor.rowcount == 1

    # -- weeks ----------------------------------------------------------------------------------

    async def open_week(self, subscription_id: int, week_of: str, now: datetime) -> Week:
        """The week's row, created on the first prompt (a repeat finds the same row)."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO accountability_weeks (subscription_id, week_of, prompted_at) "
                "VALUES (?, ?, ?) ON CONFLICT (subscription_id, week_of) DO NOTHING",
                (subscription_id, week_of, to_epoch(now)),
            )
            cursor = await conn.execute(
                "SELECT * FROM accountability_weeks WHERE subscription_id = ? AND week_of = ?",
                (subscription_id, week_of),
            )
            row = await cursor.fetchone()
        assert row is not None
        return _week(row)

    async def mark_delivered(self, week_id: int, via: str, thread_id: int | None) -> None:
        await self.store.execute(
            "UPDATE accountability_weeks SET delivered_via = ?, thread_id = ? WHERE id = ?",
            (via, thread_id, week_id),
        )

    async def week(self, week_id: int) -> Week | None:
        row = await self.store.fetchone(
            "SELECT * FROM accountability_weeks WHERE id = ?", (week_id,)
        )
        return _week(row) if row else None

    async def previous_week(self, week: Week) -> Week | None:
        """Last week: the latest earlier week of the same subscription that has goals, if it
        is recent enough to be last week's (after a skipped week there is none)."""
        since = last_week_since(date.fromisoformat(week.week_of))
        row = await self.store.fetchone(
            "SELECT * FROM accountability_weeks WHERE subscription_id = ? AND week_of < ? "
            "AND week_of >= ? AND goals_set_at IS NOT NULL ORDER BY week_of DESC LIMIT 1",
            (week.subscription_id, week.week_of, since.isoformat()),
        )
        return _week(row) if row else None

    async def latest_week(self, subscription_id: int) -> Week | None:
        """The week of the latest prompt."""
        row = await self.store.fetchone(
            "SELECT * FROM accountability_weeks WHERE subscription_id = ? "
            "ORDER BY week_of DESC LIMIT 1",
            (subscription_id,),
        )
        return _week(row) if row else None

    async def weeks(self, subscription_id: int, limit: int = 6) -> list[Week]:
        rows = await self.store.fetchall(
            "SELECT * FROM accountability_weeks WHERE subscription_id = ? "
            "ORDER BY week_of DESC LIMIT ?",
            (subscription_id, limit),
        )
        return [_week(r) for r in rows]

    async def goals(self, week_id: int) -> list[Goal]:
        rows = await self.store.fetchall(
            "SELECT position, text, review FROM accountability_goals WHERE week_id = ? "
            "ORDER BY position",
            (week_id,),
        )
        return [Goal(r["position"], r["text"], r["review"]) for r in rows]

    async def save_goals(self, week_id: int, goals: list[str], now: datetime) -> None:
        async with self.store.transaction() as conn:
            await conn.execute("DELETE FROM accountability_goals WHERE week_id = ?", (week_id,))
            await conn.executemany(
                "INSERT INTO accountability_goals (week_id, position, text) VALUES (?, ?, ?)",
                [(week_id, i, text) for i, text in enumerate(goals, start=1)],
            )
            await conn.execute(
                "UPDATE accountability_weeks SET goals_set_at = ? WHERE id = ?",
                (to_epoch(now), week_id),
            )

    async def save_review(
        self,
        previous_week_id: int,
        reviews: dict[int, str],
        reflection: str | None,
        now: datetime,
    ) -> None:
        async with self.store.transaction() as conn:
            for position, review in reviews.items():
                await conn.execute(
                    "UPDATE accountability_goals SET review = ? WHERE week_id = ? AND position = ?",
                    (review, previous_week_id, position),
                )
            await conn.execute(
                "UPDATE accountability_weeks SET reviewed_at = ?, reflection = ? WHERE id = ?",
                (to_epoch(now), reflection, previous_week_id),
            )

    async def mark_shared(self, week_id: int, message_id: int) -> None:
        await self.store.execute(
            "UPDATE accountability_weeks SET shared_message_id = ? WHERE id = ?",
            (message_id, week_id),
        )
