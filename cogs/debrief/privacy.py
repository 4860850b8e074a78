"""What debriefs keep about a member, for /privacy export and /privacy delete (bot/privacy.py).

Rows are found by the member's journal pseudonym (the same in every server and in DMs). The
export opens each debrief with the member's own key, so the member reads their words in clear;
the sealed text and the sealed member id of a reminder are not exported (they say nothing
without the key). Deleting removes the debriefs, their reminders with their engine jobs and run
history, and the member's counts. A journal belongs to no server: leaving one removes nothing.
"""

from __future__ import annotations

import aiosqlite

from bot.privacy import Row, Subject, delete_rows, iso_instant
from bot.scheduling import jobs
from cogs.debrief.jobs import REMINDER_JOB
from cogs.debrief.logic import Debrief
from cogs.debrief.sealing import OWNER_SCOPE, JournalSeal

TABLES = ("debrief_entries", "debrief_reminders", "debrief_members")


class DebriefPrivacy:
    feature = "debrief"
    tables = TABLES

    def __init__(self, seal: JournalSeal) -> None:
        self.seal = seal

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        owner = subject.pseudonym(OWNER_SCOPE, subject.user_id)
        cursor = await conn.execute(
            "SELECT entry_id, sealed, feedback_asked_at, created_at, updated_at "
            "FROM debrief_entries WHERE owner = ? ORDER BY seq DESC",
            (owner,),
        )
        entries: list[Row] = []
        # Each debrief by its number in /debrief list (1: the newest), not an internal id.
        numbers: dict[str, int] = {}
        for number, row in enumerate(await cursor.fetchall(), start=1):
            numbers[row["entry_id"]] = number
            text = self.seal.open(subject.user_id, row["entry_id"], row["sealed"])
            entries.append(
                {
                    "number": number,
                    "debrief": _fields(Debrief.from_json(text) if text is not None else None),
                    "feedback_asked_at": row["feedback_asked_at"],
                    "created_at": row["created_at"],
                    "updated_at": row["updated_at"],
                }
            )
        cursor = await conn.execute(
            "SELECT entry_id, days, local_time, timezone, attempt, status, due_at, created_at, "
            "updated_at FROM debrief_reminders WHERE owner = ? ORDER BY created_at",
            (owner,),
        )
        reminders: list[Row] = [
            {
                "debrief_number": numbers.get(r["entry_id"]),
                "remind_after_days": r["days"],
                "local_time": r["local_time"],
                "timezone": r["timezone"],
                "attempt": r["attempt"],
                "status": r["status"],
                "due_at": r["due_at"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in await cursor.fetchall()
        ]
        cursor = await conn.execute(
            "SELECT feedback_asked, answers_received, in_streak, notice_pending, updated_at "
            "FROM debrief_members WHERE owner = ?",
            (owner,),
        )
        members: list[Row] = [
            {
                **dict(r),
                "in_streak": bool(r["in_streak"]),
                "notice_pending": bool(r["notice_pending"]),
            }
            for r in await cursor.fetchall()
        ]
        for rows in (entries, reminders, members):
            for out in rows:
                for key, value in list(out.items()):
                    if key.endswith("_at") and isinstance(value, int):
                        out[key] = iso_instant(value)
        return {
            "debrief_entries": entries,
            "debrief_reminders": reminders,
            "debrief_members": members,
        }

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        owner = subject.pseudonym(OWNER_SCOPE, subject.user_id)
        cursor = await conn.execute(
            "SELECT reminder_id FROM debrief_reminders WHERE owner = ?", (owner,)
        )
        for row in await cursor.fetchall():
            await jobs.forget(conn, REMINDER_JOB, row["reminder_id"])
        return {
            table: await delete_rows(conn, f"DELETE FROM {table} WHERE owner = ?", (owner,))
            for table in TABLES
        }

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        return {}  # a journal belongs to the member, not to a server


def _fields(debrief: Debrief | None) -> dict[str, object] | None:
    if debrief is None:
        return None  # sealed for a key this bot no longer has: nothing readable to give
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in Debrief.__dataclass_fields__
        for value in (getattr(debrief, name),)
    }
