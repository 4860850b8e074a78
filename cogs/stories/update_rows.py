"""SQL for a story's updates (the comeback), its followers and reports of an update; part of
StoryRepository (cogs/stories/repository.py). Returns dataclasses, never raw rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.db import Store
from bot.privacy import readable
from bot.scheduling import from_epoch, jobs, to_epoch
from cogs.stories.records import Story, _story

UPDATE_JOB = "stories.update"
FOLLOWER_DM_JOB = "stories.update_dm"


@dataclass(frozen=True, slots=True)
class Update:
    id: int
    public_id: str
    story_id: int
    guild_id: int
    author: str
    status: str
    kind: str
    body: str
    card: bool
    crisis: bool
    created_at: datetime
    posted_at: datetime | None
    thread_id: int | None
    message_id: int | None
    card_channel_id: int | None
    card_message_id: int | None
    queue_channel_id: int | None
    queue_message_id: int | None
    followers_told: bool
    decision_note: str | None = None  # a moderator's note when not approved


@dataclass(frozen=True, slots=True)
class UpdateReport:
    id: int
    update_id: int
    queue_channel_id: int | None
    queue_message_id: int | None


def _update(row: aiosqlite.Row) -> Update:
    return Update(
        id=row["id"],
        public_id=row["public_id"],
        story_id=row["story_id"],
        guild_id=row["guild_id"],
        author=row["author"],
        status=row["status"],
        kind=row["kind"],
        body=row["body"],
        card=bool(row["card"]),
        crisis=bool(row["crisis"]),
        created_at=from_epoch(row["created_at"]),
        posted_at=from_epoch(row["posted_at"]) if row["posted_at"] is not None else None,
        thread_id=row["thread_id"],
        message_id=row["message_id"],
        card_channel_id=row["card_channel_id"],
        card_message_id=row["card_message_id"],
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        followers_told=bool(row["followers_told"]),
        decision_note=row["decision_note"],
    )


def _epochs(values: dict[str, Any]) -> dict[str, Any]:
    return {k: to_epoch(v) if isinstance(v, datetime) else v for k, v in values.items()}


class UpdateRows:
    store: Store

    # -- the story an update belongs to ----------------------------------------------------------

    async def story_by_id(self, story_id: int) -> Story | None:
        row = await self.store.fetchone("SELECT * FROM stories WHERE id = ?", (story_id,))
        return _story(row) if row else None

    async def story_by_thread(self, guild_id: int, channel_id: int) -> Story | None:
        """The posted story whose thread `channel_id` is: the forum post, or the thread on the
        story's message (its id is the message's)."""
        row = await self.store.fetchone(
            "SELECT * FROM stories WHERE guild_id = ? AND status = 'posted' "
            "AND (thread_id = ? OR (thread_id IS NULL AND message_id = ?))",
            (guild_id, channel_id, channel_id),
        )
        return _story(row) if row else None

    @staticmethod
    async def remove_updates_of_in(conn: aiosqlite.Connection, story_id: int) -> None:
        """A moderator removed the story: its updates are down with it."""
        await conn.execute(
            "UPDATE story_updates SET status = 'removed' WHERE story_id = ? "
            "AND status IN ('scheduled', 'pending', 'posted')",
            (story_id,),
        )

    # -- updates ------------------------------------------------------------------------------

    @staticmethod
    async def create_update(conn: aiosqlite.Connection, **values: Any) -> None:
        values = _epochs(values)
        columns = list(values)
        await conn.execute(
            f"INSERT INTO story_updates ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            tuple(values.values()),
        )

    @staticmethod
    async def change_update(
        conn: aiosqlite.Connection, update_id: int, from_status: str | None = None, **values: Any
    ) -> bool:
        """Change an update (only if still in `from_status`, when given: two moderators
        clicking at once must not both act)."""
        values = _epochs(values)
        assignments = ", ".join(f"{column} = ?" for column in values)
        sql = f"UPDATE story_updates SET {assignments} WHERE id = ?"
        params: tuple[Any, ...] = (*values.values(), update_id)
        if from_status is not None:
            sql += " AND status = ?"
            params = (*params, from_status)
        cursor = await conn.execute(sql, params)
        return cursor.rowcount == 1

    async def update_by_id(self, public_id: str) -> Update | None:
        row = await self.store.fetchone(
            "SELECT * FROM story_updates WHERE public_id = ?", (public_id,)
        )
        return _update(row) if row else None

    @staticmethod
    async def update_in(conn: aiosqlite.Connection, public_id: str) -> Update | None:
        cursor = await conn.execute("SELECT * FROM story_updates WHERE public_id = ?", (public_id,))
        row = await cursor.fetchone()
        return _update(row) if row else None

    async def updates_of(self, story_id: int) -> list[Update]:
        rows = await self.store.fetchall(
            "SELECT * FROM story_updates WHERE story_id = ? AND status != 'draft' ORDER BY id",
            (story_id,),
        )
        return [_update(r) for r in rows]

    async def all_updates_of(self, story_id: int) -> list[Update]:
        rows = await self.store.fetchall(
            "SELECT * FROM story_updates WHERE story_id = ? ORDER BY id", (story_id,)
        )
        return [_update(r) for r in rows]

    async def update_by_key(self, guild_id: int, key: str) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM story_updates WHERE guild_id = ? AND submission_key = ?",
            (guild_id, key),
        )
        return row is not None

    @staticmethod
    async def update_by_key_in(conn: aiosqlite.Connection, guild_id: int, key: str) -> bool:
        cursor = await conn.execute(
            "SELECT 1 FROM story_updates WHERE guild_id = ? AND submission_key = ?",
            (guild_id, key),
        )
        return await cursor.fetchone() is not None

    @staticmethod
    async def delete_stale_update_drafts_in(conn: aiosqlite.Connection, before: datetime) -> None:
        await conn.execute(
            "DELETE FROM story_updates WHERE status = 'draft' AND created_at < ?",
            (to_epoch(before),),
        )

    @staticmethod
    async def delete_update(conn: aiosqlite.Connection, update: Update) -> None:
        """The update, its reports (by cascade) and its jobs' run history."""
        await jobs.forget_runs(conn, UPDATE_JOB, update.public_id)
        await conn.execute("DELETE FROM story_updates WHERE id = ?", (update.id,))

    async def comeback_count(self, guild_id: int, start: datetime, end: datetime) -> int:
        """How many members shared an update posted in [start, end): counts only."""
        row = await self.store.fetchone(
            "SELECT COUNT(DISTINCT author) FROM story_updates WHERE guild_id = ? "
            "AND status = 'posted' AND posted_at >= ? AND posted_at < ?",
            (guild_id, to_epoch(start), to_epoch(end)),
        )
        return int(row[0]) if row else 0

    # -- followers ------------------------------------------------------------------------------

    @staticmethod
    async def is_following_in(conn: aiosqlite.Connection, story_id: int, follower: str) -> bool:
        cursor = await conn.execute(
            "SELECT 1 FROM story_followers WHERE story_id = ? AND follower = ?",
            (story_id, follower),
        )
        return await cursor.fetchone() is not None

    @staticmethod
    async def follow_in(
        conn: aiosqlite.Connection,
        story_id: int,
        guild_id: int,
        follower: str,
        sealed: str,
        now: datetime,
    ) -> None:
        await conn.execute(
            "INSERT INTO story_followers (story_id, guild_id, follower, sealed, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id, follower) DO NOTHING",
            (story_id, guild_id, follower, sealed, to_epoch(now)),
        )

    @staticmethod
    async def unfollow_in(conn: aiosqlite.Connection, story_id: int, follower: str) -> None:
        await conn.execute(
            "DELETE FROM story_followers WHERE story_id = ? AND follower = ?",
            (story_id, follower),
        )

    @staticmethod
    async def follower_ids_in(conn: aiosqlite.Connection, story_id: int) -> list[int]:
        cursor = await conn.execute(
            "SELECT id FROM story_followers WHERE story_id = ? ORDER BY id", (story_id,)
        )
        return [int(r[0]) for r in await cursor.fetchall()]

    async def follower(self, follower_id: int) -> tuple[int, str] | None:
        """(story id, sealed member id) of one follower row, if it is still there."""
        row = await self.store.fetchone(
            "SELECT story_id, sealed FROM story_followers WHERE id = ?", (follower_id,)
        )
        return (int(row["story_id"]), str(row["sealed"])) if row else None

    # -- reports of an update -------------------------------------------------------------------

    @staticmethod
    async def add_update_report(
        conn: aiosqlite.Connection, update_id: int, reporter: str, reason: str | None, now: datetime
    ) -> int | None:
        cursor = await conn.execute(
            "INSERT INTO story_update_reports (update_id, reporter, reason, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (update_id, reporter, reason, to_epoch(now)),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def set_update_report_message(
        self, report_id: int, channel_id: int, message_id: int
    ) -> None:
        await self.store.execute(
            "UPDATE story_update_reports SET queue_channel_id = ?, queue_message_id = ? "
            "WHERE id = ?",
            (channel_id, message_id, report_id),
        )

    async def open_update_reports(self, update_id: int) -> list[UpdateReport]:
        rows = await self.store.fetchall(
            "SELECT id, update_id, queue_channel_id, queue_message_id FROM story_update_reports "
            "WHERE update_id = ? AND status = 'open' ORDER BY id",
            (update_id,),
        )
        return [UpdateReport(r[0], r[1], r[2], r[3]) for r in rows]

    @staticmethod
    async def close_update_reports(conn: aiosqlite.Connection, update_id: int, status: str) -> None:
        await conn.execute(
            "UPDATE story_update_reports SET status = ? WHERE update_id = ? AND status = 'open'",
            (status, update_id),
        )

    # -- privacy --------------------------------------------------------------------------------

    async def update_ids_by_author(self, guild_id: int, author: str) -> list[str]:
        rows = await self.store.fetchall(
            "SELECT public_id FROM story_updates WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        return [str(r["public_id"]) for r in rows]

    @staticmethod
    async def export_update_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, follower: str, reporter: str
    ) -> dict[str, list[dict[str, Any]]]:
        cursor = await conn.execute(
            "SELECT u.public_id AS update_ref, s.number AS story_number, u.guild_id, u.status, "
            "u.kind, u.body, u.card, u.created_at, u.posted_at, u.thread_id, u.message_id, "
            "u.card_channel_id, u.card_message_id, u.decision_note FROM story_updates u "
            "JOIN stories s ON s.id = u.story_id WHERE u.guild_id = ? AND u.author = ? "
            "ORDER BY u.id",
            (guild_id, author),
        )
        updates = []
        for r in await cursor.fetchall():
            row = readable(r)
            row["card"] = bool(row["card"])
            updates.append(row)
        cursor = await conn.execute(
            "SELECT s.number AS story_number, f.guild_id, f.created_at FROM story_followers f "
            "JOIN stories s ON s.id = f.story_id WHERE f.guild_id = ? AND f.follower = ?",
            (guild_id, follower),
        )
        follows = [readable(r) for r in await cursor.fetchall()]
        cursor = await conn.execute(
            "SELECT u.public_id AS update_ref, r.reason, r.status, r.created_at "
            "FROM story_update_reports r JOIN story_updates u ON u.id = r.update_id "
            "WHERE u.guild_id = ? AND r.reporter = ?",
            (guild_id, reporter),
        )
        reports = [readable(r) for r in await cursor.fetchall()]
        return {
            "story_updates": updates,
            "story_followers": follows,
            "story_update_reports": reports,
        }

    @staticmethod
    async def delete_update_member_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, follower: str, reporter: str
    ) -> dict[str, int]:
        cursor = await conn.execute(
            "DELETE FROM story_update_reports WHERE reporter = ? AND update_id IN "
            "(SELECT id FROM story_updates WHERE guild_id = ?)",
            (reporter, guild_id),
        )
        reports = cursor.rowcount
        cursor = await conn.execute(
            "DELETE FROM story_followers WHERE guild_id = ? AND follower = ?",
            (guild_id, follower),
        )
        follows = cursor.rowcount
        cursor = await conn.execute(
            "DELETE FROM story_updates WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return {
            "story_updates": cursor.rowcount,
            "story_followers": follows,
            "story_update_reports": reports,
        }

    @staticmethod
    async def delete_update_guild_rows_in(
        conn: aiosqlite.Connection, guild_id: int
    ) -> dict[str, int]:
        cursor = await conn.execute(
            "DELETE FROM story_update_reports WHERE update_id IN "
            "(SELECT id FROM story_updates WHERE guild_id = ?)",
            (guild_id,),
        )
        counts = {"story_update_reports": cursor.rowcount}
        for table in ("story_updates", "story_followers"):
            cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            counts[table] = cursor.rowcount
        return counts
