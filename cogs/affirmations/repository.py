"""SQL for the affirmations feature. Writes take the caller's transaction connection so a
feature change and its schedule change land together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

import aiosqlite

from bot.db import Store
from bot.scheduling import from_epoch, jobs, to_epoch
from bot.timekeeping import DaySet, LocalSchedule
from cogs.affirmations.logic import Deck

PauseReason = Literal["by_admin", "channel_missing", "missing_permissions", "bot_removed"]
GUILD_JOB = "affirmations.guild"
DM_JOB = "affirmations.dm"


_CUSTOM_SQL = "SELECT number, text FROM affirmation_custom WHERE guild_id = ? ORDER BY number"


def guild_owner(guild_id: int) -> str:
    return f"guild:{guild_id}"


def dm_owner(user_id: int) -> str:
    return f"dm:{user_id}"


def custom_item_id(number: int) -> str:
    """A server's own affirmation in its deck: by its per-server number, which is never reused
    (so a new one can never take a removed one's place as "already drawn")."""
    return f"n:{number}"


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True, slots=True)
class GuildSchedule:
    guild_id: int
    channel_id: int
    local_time: time
    timezone: str
    days: DaySet
    role_id: int | None
    paused: bool
    pause_reason: PauseReason | None
    paused_at: datetime | None

    def post_schedule(self) -> LocalSchedule:
        return LocalSchedule.build(self.local_time, self.timezone, self.days)


@dataclass(frozen=True, slots=True)
class DMSubscription:
    user_id: int
    local_time: time
    timezone: str
    active: bool
    stopped_reason: str | None
    notice_pending: bool
    dm_channel_id: int | None = None

    def post_schedule(self) -> LocalSchedule:
        return LocalSchedule.build(self.local_time, self.timezone, DaySet.every_day())


@dataclass(frozen=True, slots=True)
class CustomAffirmation:
    number: int  # per server, from 1, never reused
    text: str

    @property
    def item_id(self) -> str:
        return custom_item_id(self.number)


_SCHEDULE_SQL = "SELECT * FROM affirmation_schedules WHERE guild_id = ?"
_DM_SQL = "SELECT * FROM affirmation_dm_subscriptions WHERE user_id = ?"


def _subscription(row: aiosqlite.Row) -> DMSubscription:
    return DMSubscription(
        user_id=row["user_id"],
        local_time=_time(row["post_time"]),
        timezone=row["timezone"],
        active=bool(row["active"]),
        stopped_reason=row["stopped_reason"],
        notice_pending=bool(row["notice_pending"]),
        dm_channel_id=row["dm_channel_id"],
    )


def _schedule(row: aiosqlite.Row) -> GuildSchedule:
    return GuildSchedule(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        local_time=_time(row["post_time"]),
        timezone=row["timezone"],
        days=DaySet.from_mask(row["days_mask"]),
        role_id=row["role_id"],
        paused=bool(row["paused"]),
        pause_reason=row["pause_reason"],
        paused_at=from_epoch(row["paused_at"]) if row["paused_at"] is not None else None,
    )


class AffirmationRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- server schedules -----------------------------------------------------------------------

    async def schedule(self, guild_id: int) -> GuildSchedule | None:
        row = await self.store.fetchone(_SCHEDULE_SQL, (guild_id,))
        return _schedule(row) if row else None

    @staticmethod
    async def schedule_in(conn: aiosqlite.Connection, guild_id: int) -> GuildSchedule | None:
        """The same, in the caller's transaction (a `Store.run_read` body, or the claim)."""
        cursor = await conn.execute(_SCHEDULE_SQL, (guild_id,))
        row = await cursor.fetchone()
        return _schedule(row) if row else None

    async def schedules_in_channel(self, channel_id: int) -> list[GuildSchedule]:
        rows = await self.store.fetchall(
            "SELECT * FROM affirmation_schedules WHERE channel_id = ? AND paused = 0", (channel_id,)
        )
        return [_schedule(r) for r in rows]

    async def save_schedule(
        self, conn: aiosqlite.Connection, schedule: GuildSchedule, now: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO affirmation_schedules (guild_id, channel_id, post_time, timezone, "
            "days_mask, role_id, paused, pause_reason, paused_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, post_time = excluded.post_time, "
            "timezone = excluded.timezone, days_mask = excluded.days_mask, "
            "role_id = excluded.role_id, paused = excluded.paused, "
            "pause_reason = excluded.pause_reason, paused_at = excluded.paused_at, "
            "updated_at = excluded.updated_at",
            (
                schedule.guild_id,
                schedule.channel_id,
                _hhmm(schedule.local_time),
                schedule.timezone,
                schedule.days.mask,
                schedule.role_id,
                int(schedule.paused),
                schedule.pause_reason,
                to_epoch(schedule.paused_at) if schedule.paused_at else None,
                to_epoch(now),
                to_epoch(now),
            ),
        )

    async def pause(
        self, conn: aiosqlite.Connection, guild_id: int, reason: PauseReason, now: datetime
    ) -> bool:
        """Pause a running schedule. False if it was already paused (so notices go out once)."""
        cursor = await conn.execute(
            "UPDATE affirmation_schedules SET paused = 1, pause_reason = ?, paused_at = ?, "
            "updated_at = ? WHERE guild_id = ? AND paused = 0",
            (reason, to_epoch(now), to_epoch(now), guild_id),
        )
        return cursor.rowcount == 1

    async def resume(self, conn: aiosqlite.Connection, guild_id: int, now: datetime) -> None:
        await conn.execute(
            "UPDATE affirmation_schedules SET paused = 0, pause_reason = NULL, paused_at = NULL, "
            "updated_at = ? WHERE guild_id = ?",
            (to_epoch(now), guild_id),
        )

    # -- decks ----------------------------------------------------------------------------------

    @staticmethod
    async def deck_in(conn: aiosqlite.Connection, owner: str) -> Deck:
        """The stored deck (in the caller's transaction); a missing or unreadable one starts
        afresh rather than failing a post."""
        cursor = await conn.execute("SELECT deck FROM affirmation_decks WHERE owner = ?", (owner,))
        row = await cursor.fetchone()
        if row is None:
            return Deck.empty()
        try:
            return Deck.from_json(row["deck"])
        except ValueError:
            return Deck.empty()

    @staticmethod
    async def save_deck_in(conn: aiosqlite.Connection, owner: str, deck: Deck) -> None:
        await conn.execute(
            "INSERT INTO affirmation_decks (owner, deck) VALUES (?, ?) "
            "ON CONFLICT (owner) DO UPDATE SET deck = excluded.deck",
            (owner, deck.to_json()),
        )

    # -- the server's own affirmations ----------------------------------------------------------

    async def custom(self, guild_id: int) -> list[CustomAffirmation]:
        rows = await self.store.fetchall(_CUSTOM_SQL, (guild_id,))
        return [CustomAffirmation(r["number"], r["text"]) for r in rows]

    @staticmethod
    async def custom_in(conn: aiosqlite.Connection, guild_id: int) -> list[CustomAffirmation]:
        """The same, in the caller's transaction."""
        cursor = await conn.execute(_CUSTOM_SQL, (guild_id,))
        rows = await cursor.fetchall()
        return [CustomAffirmation(r["number"], r["text"]) for r in rows]

    async def custom_count(self, guild_id: int) -> int:
        row = await self.store.fetchone(
            "SELECT COUNT(*) FROM affirmation_custom WHERE guild_id = ?", (guild_id,)
        )
        return int(row[0]) if row else 0

    async def custom_stats(
        self, conn: aiosqlite.Connection, guild_id: int, normalized: str
    ) -> tuple[int, bool]:
        """(how many the server has, whether one with this normalized text is among them)."""
        cursor = await conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN normalized = ? THEN 1 ELSE 0 END), 0) "
            "FROM affirmation_custom WHERE guild_id = ?",
            (normalized, guild_id),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0]), bool(row[1])

    async def add_custom(
        self, conn: aiosqlite.Connection, guild_id: int, text: str, normalized: str, now: datetime
    ) -> int:
        """Store a server's own affirmation under the server's next number (never reused)."""
        cursor = await conn.execute(
            "INSERT INTO affirmation_custom_numbers (guild_id, last_number) VALUES (?, 1) "
            "ON CONFLICT (guild_id) DO UPDATE "
            "SET last_number = affirmation_custom_numbers.last_number + 1 "
            "RETURNING last_number",
            (guild_id,),
        )
        row = await cursor.fetchone()
        assert row is not None
        number = int(row[0])
        await conn.execute(
            "INSERT INTO affirmation_custom (guild_id, number, text, normalized, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (guild_id, number, text, normalized, to_epoch(now)),
        )
        return number

    async def remove_custom(
        self, conn: aiosqlite.Connection, guild_id: int, number: int
    ) -> str | None:
        cursor = await conn.execute(
            "DELETE FROM affirmation_custom WHERE guild_id = ? AND number = ? RETURNING text",
            (guild_id, number),
        )
        row = await cursor.fetchone()
        return str(row["text"]) if row else None

    async def occurrence_taken(
        self, conn: aiosqlite.Connection, kind: str, key: str, label: str
    ) -> bool:
        """Whether the scheduler already has a run for this occurrence (done, sending, failed):
        the scheduled run for it would do nothing, so it is not "the next post"."""
        return await jobs.occurrence_taken(conn, kind, key, label)

    # -- posts ----------------------------------------------------------------------------------

    @staticmethod
    async def record_post_in(
        conn: aiosqlite.Connection,
        guild_id: int,
        local_date: str,
        item_id: str,
        channel_id: int,
        message_id: int,
        now: datetime,
        source: Literal["schedule", "now"],
    ) -> None:
        """The post log's row (the scheduler's Recorder for a post)."""
        await conn.execute(
            "INSERT INTO affirmation_posts (guild_id, local_date, item_id, channel_id, "
            "message_id, posted_at, source) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (guild_id, local_date, item_id, channel_id, message_id, to_epoch(now), source),
        )

    @staticmethod
    async def prune_posts(conn: aiosqlite.Connection, cutoff: datetime) -> int:
        """Forget the post log before `cutoff` (status only reads today's; housekeeping)."""
        cursor = await conn.execute(
            "DELETE FROM affirmation_posts WHERE posted_at < ?", (to_epoch(cutoff),)
        )
        return cursor.rowcount

    async def post_on(self, guild_id: int, local_date: str) -> aiosqlite.Row | None:
        return await self.store.fetchone(
            "SELECT * FROM affirmation_posts WHERE guild_id = ? AND local_date = ?",
            (guild_id, local_date),
        )

    # -- personal DMs ---------------------------------------------------------------------------

    async def dm_subscription(self, user_id: int) -> DMSubscription | None:
        row = await self.store.fetchone(_DM_SQL, (user_id,))
        return _subscription(row) if row is not None else None

    @staticmethod
    async def dm_subscription_in(conn: aiosqlite.Connection, user_id: int) -> DMSubscription | None:
        """The same, in the caller's transaction."""
        cursor = await conn.execute(_DM_SQL, (user_id,))
        row = await cursor.fetchone()
        return _subscription(row) if row is not None else None

    @staticmethod
    async def save_dm_channel_in(conn: aiosqlite.Connection, user_id: int, channel_id: int) -> None:
        """Keep the member's DM channel id: later mornings are then one request each."""
        await conn.execute(
            "UPDATE affirmation_dm_subscriptions SET dm_channel_id = ? WHERE user_id = ?",
            (channel_id, user_id),
        )

    async def subscribe_dm(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        local_time: time,
        timezone: str,
        now: datetime,
    ) -> None:
        await conn.execute(
            "INSERT INTO affirmation_dm_subscriptions (user_id, post_time, timezone, active, "
            "stopped_reason, notice_pending, created_at, updated_at) "
            "VALUES (?, ?, ?, 1, NULL, 0, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "post_time = excluded.post_time, timezone = excluded.timezone, active = 1, "
            "stopped_reason = NULL, notice_pending = 0, updated_at = excluded.updated_at",
            (user_id, _hhmm(local_time), timezone, to_epoch(now), to_epoch(now)),
        )

    async def stop_dm(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        reason: Literal["by_member", "dms_closed"],
        now: datetime,
    ) -> bool:
        cursor = await conn.execute(
            "UPDATE affirmation_dm_subscriptions SET active = 0, stopped_reason = ?, "
            "notice_pending = ?, updated_at = ? WHERE user_id = ? AND active = 1",
            (reason, int(reason == "dms_closed"), to_epoch(now), user_id),
        )
        return cursor.rowcount == 1

    async def take_dm_notice(self, user_id: int) -> bool:
        """True once after DMs failed; clears the flag in the same statement."""
        changed = await self.store.execute(
            "UPDATE affirmation_dm_subscriptions SET notice_pending = 0 "
            "WHERE user_id = ? AND notice_pending = 1",
            (user_id,),
        )
        return changed == 1
