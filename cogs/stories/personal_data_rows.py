"""SQL for a member's own data in stories: what /privacy exports and deletes."""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.db import Store
from bot.privacy import readable
from cogs.stories.logic import STAGE_LABELS, story_label


class PersonalDataRows:
    """One member's or one server's rows; part of StoryRepository (cogs/stories/repository.py)."""

    store: Store

    # -- privacy ----------------------------------------------------------------------------

    async def public_ids_by_author(self, guild_id: int, author: str) -> list[str]:
        """Every story of one author in a server, drafts and removed ones included (for
        /privacy delete, which takes each down through the author's own delete path)."""
        rows = await self.store.fetchall(
            "SELECT public_id FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        return [str(r["public_id"]) for r in rows]

    @staticmethod
    async def export_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, reporter: str
    ) -> dict[str, list[dict[str, Any]]]:
        cursor = await conn.execute(
            "SELECT public_id AS story_ref, number, guild_id, status, body, stage, takeaway, "
            "help, created_at, submitted_at, posted_at, channel_id, message_id, thread_id, "
            "decision_note, sealed_author IS NOT NULL AS dm_opt_in "
            "FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        stories = []
        for r in await cursor.fetchall():
            story = readable(r)
            # As it was shown ("Story #3"), like the other features' exports name a story.
            story["stage"] = STAGE_LABELS.get(story["stage"], story["stage"])  # as shown
            number = story["number"]
            story = {"story": story_label(number) if number else None, **story}
            story["dm_opt_in"] = bool(story["dm_opt_in"])
            stories.append(story)
        cursor = await conn.execute(
            "SELECT guild_id, blocked_at FROM story_blocks WHERE guild_id = ? AND author = ?",
            (guild_id, author),
        )
        blocks = [readable(r) for r in await cursor.fetchall()]
        cursor = await conn.execute(
            "SELECT s.public_id AS story_ref, r.reason, r.status, r.created_at "
            "FROM story_reports r JOIN stories s ON s.id = r.story_id "
            "WHERE s.guild_id = ? AND r.reporter = ?",
            (guild_id, reporter),
        )
        reports = [readable(r) for r in await cursor.fetchall()]
        return {"stories": stories, "story_blocks": blocks, "story_reports": reports}

    @staticmethod
    async def delete_member_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, reporter: str
    ) -> dict[str, int]:
        cursor = await conn.execute(
            "DELETE FROM story_reports WHERE reporter = ? AND story_id IN "
            "(SELECT id FROM stories WHERE guild_id = ?)",
            (reporter, guild_id),
        )
        reports = cursor.rowcount
        cursor = await conn.execute(
            "DELETE FROM stories WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return {"stories": cursor.rowcount, "story_reports": reports}

    @staticmethod
    async def delete_guild_rows_in(conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        cursor = await conn.execute(
            "DELETE FROM story_reports WHERE story_id IN "
            "(SELECT id FROM stories WHERE guild_id = ?)",
            (guild_id,),
        )
        counts["story_reports"] = cursor.rowcount
        for table in ("stories", "story_blocks", "story_settings"):
            cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            counts[table] = cursor.rowcount
        return counts

    @staticmethod
    async def ids_by_author_in(
        conn: aiosqlite.Connection, guild_id: int, author: str
    ) -> list[tuple[int, str]]:
        """(id, public id) of every story of one author in a server, in the caller's
        transaction (for /privacy delete: each one's deletion is announced with it)."""
        cursor = await conn.execute(
            "SELECT id, public_id FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        return [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]
