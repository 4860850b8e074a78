"""SQL for debriefs, their reminders and a member's debrief settings. Writes take the caller's
transaction connection; rows come back as dataclasses. Every row is found by the journal's
pseudonym (`owner`), never a member id."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db import Store
from bot.scheduling import Recorder, from_epoch, to_epoch


@dataclass(frozen=True, slots=True)
class StoredEntry:
    entry_id: str
    sealed: str
    feedback_asked: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    reminder_id: str
    entry_id: str
    owner: str
    sealed_member: str
    days: int
    local_time: str
    timezone: str
    attempt: int
    status: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class MemberCounts:
    feedback_asked: int = 0
    answers_received: int = 0
    in_streak: bool = False


def _entry(row: aiosqlite.Row) -> StoredEntry:
    return StoredEntry(
        row["entry_id"],
        row["sealed"],
        row["feedback_asked_at"] is not None,
        from_epoch(row["created_at"]),
    )


def _reminder(row: aiosqlite.Row | sqlite3.Row) -> Reminder:
    return Reminder(
        row["reminder_id"],
        row["entry_id"],
        row["owner"],
        row["sealed_member"],
        row["days"],
        row["local_time"],
        row["timezone"],
        row["attempt"],
        row["status"],
        from_epoch(row["due_at"]),
    )


_ENTRY_COLUMNS = "entry_id, sealed, feedback_asked_at, created_at"
_NEWEST_FIRST = "ORDER BY seq DESC"
_TOUCH_MEMBER = (
    "INSERT INTO debrief_members (owner, updated_at) VALUES (?, ?) "
    "ON CONFLICT (owner) DO UPDATE SET updated_at = excluded.updated_at"
)


class DebriefRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- entries --------------------------------------------------------------------------------

    async def add_entry(
        self, conn: aiosqlite.Connection, entry_id: str, owner: str, sealed: str, now: datetime
    ) -> None:
        """The member's next number comes from their counter row, taken and raised in one
        upsert: the row's lock orders two saves at the same instant on either store (a
        MAX(seq) + 1 read could give both the same number on PostgreSQL)."""
        cursor = await conn.execute(
            "INSERT INTO debrief_members (owner, updated_at, last_seq) VALUES (?, ?, 1) "
            "ON CONFLICT (owner) DO UPDATE SET last_seq = debrief_members.last_seq + 1, "
            "updated_at = excluded.updated_at RETURNING last_seq",
            (owner, to_epoch(now)),
        )
        row = await cursor.fetchone()
        assert row is not None  # an upsert with RETURNING always returns its row
        await conn.execute(
            "INSERT INTO debrief_entries (entry_id, owner, seq, sealed, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, owner, row[0], sealed, to_epoch(now), to_epoch(now)),
        )

    async def replace_sealed(
        self, conn: aiosqlite.Connection, entry_id: str, owner: str, sealed: str, now: datetime
    ) -> bool:
        cursor = await conn.execute(
            "UPDATE debrief_entries SET sealed = ?, updated_at = ? "
            "WHERE entry_id = ? AND owner = ?",
            (sealed, to_epoch(now), entry_id, owner),
        )
        return cursor.rowcount > 0

    async def entry(self, owner: str, entry_id: str) -> StoredEntry | None:
        row = await self.store.fetchone(
            f"SELECT {_ENTRY_COLUMNS} FROM debrief_entries WHERE entry_id = ? AND owner = ?",
            (entry_id, owner),
        )
        return _entry(row) if row is not None else None

    async def entry_in(
        self, conn: aiosqlite.Connection, owner: str, entry_id: str
    ) -> StoredEntry | None:
        cursor = await conn.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM debrief_entries WHERE entry_id = ? AND owner = ?",
            (entry_id, owner),
        )
        row = await cursor.fetchone()
        return _entry(row) if row is not None else None

    async def entries(self, owner: str) -> list[StoredEntry]:
        rows = await self.store.fetchall(
            f"SELECT {_ENTRY_COLUMNS} FROM debrief_entries WHERE owner = ? {_NEWEST_FIRST}",
            (owner,),
        )
        return [_entry(r) for r in rows]

    async def delete_entry(self, conn: aiosqlite.Connection, owner: str, entry_id: str) -> bool:
        cursor = await conn.execute(
            "DELETE FROM debrief_entries WHERE entry_id = ? AND owner = ?", (entry_id, owner)
        )
        return cursor.rowcount > 0

    async def mark_feedback_asked(
        self, conn: aiosqlite.Connection, owner: str, entry_id: str, now: datetime
    ) -> bool:
        """True the first time for this debrief (the count goes up once per debrief)."""
        cursor = await conn.execute(
            "UPDATE debrief_entries SET feedback_asked_at = ? "
            "WHERE entry_id = ? AND owner = ? AND feedback_asked_at IS NULL",
            (to_epoch(now), entry_id, owner),
        )
        if cursor.rowcount <= 0:
            return False
        await conn.execute(_TOUCH_MEMBER, (owner, to_epoch(now)))
        await conn.execute(
            "UPDATE debrief_members SET feedback_asked = feedback_asked + 1 WHERE owner = ?",
            (owner,),
        )
        return True

    # -- the member's counts and settings -------------------------------------------------------

    async def counts(self, owner: str) -> MemberCounts:
        row = await self.store.fetchone(
            "SELECT feedback_asked, answers_received, in_streak FROM debrief_members "
            "WHERE owner = ?",
            (owner,),
        )
        if row is None:
            return MemberCounts()
        return MemberCounts(row["feedback_asked"], row["answers_received"], bool(row["in_streak"]))

    async def set_in_streak(
        self, conn: aiosqlite.Connection, owner: str, value: bool, now: datetime
    ) -> None:
        await conn.execute(_TOUCH_MEMBER, (owner, to_epoch(now)))
        await conn.execute(
            "UPDATE debrief_members SET in_streak = ? WHERE owner = ?", (int(value), owner)
        )

    async def take_notice(self, owner: str) -> bool:
        """Whether a closed-DM notice waits for the member; taken once. Asked after every
        command, so a read first: the write happens only when a notice waits."""
        row = await self.store.fetchone(
            "SELECT notice_pending FROM debrief_members WHERE owner = ?", (owner,)
        )
        if row is None or not row["notice_pending"]:
            return False
        changed = await self.store.execute(
            "UPDATE debrief_members SET notice_pending = 0 WHERE owner = ? AND notice_pending = 1",
            (owner,),
        )
        return changed > 0

    # -- reminders ------------------------------------------------------------------------------

    async def reminder(self, reminder_id: str) -> Reminder | None:
        row = await self.store.fetchone(
            "SELECT * FROM debrief_reminders WHERE reminder_id = ?", (reminder_id,)
        )
        return _reminder(row) if row is not None else None

    async def reminder_for(
        self, conn: aiosqlite.Connection, owner: str, entry_id: str
    ) -> Reminder | None:
        cursor = await conn.execute(
            "SELECT * FROM debrief_reminders WHERE entry_id = ? AND owner = ?", (entry_id, owner)
        )
        row = await cursor.fetchone()
        return _reminder(row) if row is not None else None

    async def reminders_of(self, owner: str) -> dict[str, Reminder]:
        """entry id -> its reminder."""
        rows = await self.store.fetchall(
            "SELECT * FROM debrief_reminders WHERE owner = ?", (owner,)
        )
        return {r["entry_id"]: _reminder(r) for r in rows}

    async def put_reminder(self, conn: aiosqlite.Connection, r: Reminder, now: datetime) -> None:
        """A debrief's reminder, replacing an earlier one of the same debrief."""
        await conn.execute(
            "DELETE FROM debrief_reminders WHERE entry_id = ? AND owner = ?", (r.entry_id, r.owner)
        )
        await conn.execute(
            "INSERT INTO debrief_reminders (reminder_id, entry_id, owner, sealed_member, days, "
            "local_time, timezone, attempt, status, due_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.reminder_id, r.entry_id, r.owner, r.sealed_member, r.days, r.local_time,
                r.timezone, r.attempt, r.status, to_epoch(r.due_at), to_epoch(now), to_epoch(now),
            ),
        )  # fmt: skip

    async def answer_reminder(
        self,
        conn: aiosqlite.Connection,
        reminder_id: str,
        owner: str,
        status: str,
        now: datetime,
        *,
        attempt: int | None = None,
        due_at: datetime | None = None,
    ) -> Reminder | None:
        """Move an open reminder (waiting or sent) to `status` (and another attempt when given);
        None when it is not the member's or already answered (a second click changes nothing)."""
        cursor = await conn.execute(
            "UPDATE debrief_reminders SET status = ?, attempt = COALESCE(?, attempt), "
            "due_at = COALESCE(?, due_at), updated_at = ? "
            "WHERE reminder_id = ? AND owner = ? AND status IN ('waiting', 'sent') "
            "RETURNING *",
            (
                status,
                attempt,
                to_epoch(due_at) if due_at is not None else None,
                to_epoch(now),
                reminder_id,
                owner,
            ),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        if status == "heard":
            await conn.execute(_TOUCH_MEMBER, (owner, to_epoch(now)))
            await conn.execute(
                "UPDATE debrief_members SET answers_received = answers_received + 1 "
                "WHERE owner = ?",
                (owner,),
            )
        return _reminder(row)

    async def waiting_reminders_in(self, conn: aiosqlite.Connection, owner: str) -> list[Reminder]:
        cursor = await conn.execute(
            "SELECT * FROM debrief_reminders WHERE owner = ? AND status = 'waiting'", (owner,)
        )
        return [_reminder(r) for r in await cursor.fetchall()]

    async def move_reminder(
        self, conn: aiosqlite.Connection, reminder_id: str, zone: str, due: datetime, now: datetime
    ) -> None:
        await conn.execute(
            "UPDATE debrief_reminders SET timezone = ?, due_at = ?, updated_at = ? "
            "WHERE reminder_id = ? AND status = 'waiting'",
            (zone, to_epoch(due), to_epoch(now), reminder_id),
        )

    async def delete_reminder(self, conn: aiosqlite.Connection, reminder_id: str) -> None:
        await conn.execute("DELETE FROM debrief_reminders WHERE reminder_id = ?", (reminder_id,))


# -- what a reminder's run records with its outcome (SQLite's thread, the run's transaction) ----


def reminder_sent(reminder_id: str, attempt: int, now: datetime) -> Recorder:
    async def record(conn: aiosqlite.Connection) -> None:
        await conn.execute(
            "UPDATE debrief_reminders SET status = 'sent', updated_at = ? "
            "WHERE reminder_id = ? AND attempt = ? AND status = 'waiting'",
            (to_epoch(now), reminder_id, attempt),
        )

    return record


def reminder_undelivered(reminder_id: str, owner: str, attempt: int, now: datetime) -> Recorder:
    """DMs closed: the reminder ends, and the member is told at their next command."""

    async def record(conn: aiosqlite.Connection) -> None:
        await conn.execute(
            "UPDATE debrief_reminders SET status = 'undelivered', updated_at = ? "
            "WHERE reminder_id = ? AND attempt = ? AND status = 'waiting'",
            (to_epoch(now), reminder_id, attempt),
        )
        await conn.execute(_TOUCH_MEMBER, (owner, to_epoch(now)))
        await conn.execute(
            "UPDATE debrief_members SET notice_pending = 1 WHERE owner = ?", (owner,)
        )

    return record
