"""SQL for story moderation: blocked authors and members' reports."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.db import Store
from bot.scheduling import to_epoch
from cogs.stories.records import Report


class ModerationRows:
    """Blocks and reports; part of StoryRepository (cogs/stories/repository.py)."""

    store: Store

    # -- blocks -----------------------------------------------------------------------------

    async def is_blocked(self, guild_id: int, author: str) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM story_blocks WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return row is not None

    async def block(
        self, conn: aiosqlite.Connection, guild_id: int, author: str, now: datetime
    ) -> bool:
        cursor = await conn.execute(
            "INSERT INTO story_blocks (guild_id, author, blocked_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (guild_id, author, to_epoch(now)),
        )
        return cursor.rowcount == 1

    async def unblock(self, guild_id: int, author: str) -> bool:
        changed = await self.store.execute(
            "DELETE FROM story_blocks WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return changed == 1

    async def blocked_authors(self, guild_id: int) -> list[str]:
        rows = await self.store.fetchall(
            "SELECT author FROM story_blocks WHERE guild_id = ?", (guild_id,)
        )
        return [r["author"] for r in rows]

    async def unblock_all(self, guild_id: int) -> int:
        return await self.store.execute("DELETE FROM story_blocks WHERE guild_id = ?", (guild_id,))

    async def block_counts(self, guild_id: int, since: datetime) -> tuple[int, int]:
        """(blocked authors, of whom blocked since `since`)."""
        row = await self.store.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN blocked_at >= ? THEN 1 ELSE 0 END), 0) "
            "FROM story_blocks WHERE guild_id = ?",
            (to_epoch(since), guild_id),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # -- reports ----------------------------------------------------------------------------

    async def add_report(
        self,
        conn: aiosqlite.Connection,
        story_id: int,
        reporter: str,
        reason: str | None,
        now: datetime,
    ) -> int | None:
        cursor = await conn.execute(
            "INSERT INTO story_reports (story_id, reporter, reason, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (story_id, reporter, reason, to_epoch(now)),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def set_report_message(self, report_id: int, channel_id: int, message_id: int) -> None:
        await self.store.execute(
            "UPDATE story_reports SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
            (channel_id, message_id, report_id),
        )

    async def open_reports(self, story_id: int) -> list[Report]:
        rows = await self.store.fetchall(
            "SELECT * FROM story_reports WHERE story_id = ? AND status = 'open' ORDER BY id",
            (story_id,),
        )
        return [
            Report(
                r["id"],
                r["story_id"],
                r["reason"],
                r["status"],
                r["queue_channel_id"],
                r["queue_message_id"],
            )
            for r in rows
        ]

    async def close_reports(self, conn: aiosqlite.Connection, story_id: int, status: str) -> None:
        await conn.execute(
            "UPDATE story_reports SET status = ? WHERE story_id = ? AND status = 'open'",
            (status, story_id),
        )
