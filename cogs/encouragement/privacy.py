"""What encouragement stores about a member, for /privacy export and delete.

Encouragers and me-toos are stored under the member's keyed pseudonym per server, so their rows
are found by deriving that pseudonym for each server the request covers. The story author's
data belongs to the stories feature and is answered there.

Before the rows go, `remove_public` takes down what the member posted through the bot that
carries their name or is theirs: kind words signed with their name, and their OP replies.
Anonymous kind words stay up (nothing ties them to anyone); their rows go like the rest.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite
import discord

from bot.db import Store
from bot.privacy import Row, Subject, delete_rows
from bot.scheduling import from_epoch, jobs
from cogs.encouragement.repository import DIGEST_JOB, ROUNDUP_JOB, pseudonym_scope

log = logging.getLogger(__name__)

DeleteMessage = Callable[[int, int], Awaitable[Any]]

_TABLES = ("encouragements", "encouragement_me_too", "encouragement_sends")


def _iso(value: Any) -> str | None:
    return from_epoch(int(value)).isoformat() if value is not None else None


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


class EncouragementPersonalData:
    feature = "encouragement"
    tables = (*_TABLES, "encouragement_stories", "encouragement_settings", "encouragement_roundups")

    def __init__(
        self, store: Store | None = None, delete_message: DeleteMessage | None = None
    ) -> None:
        self.store = store
        self.delete_message = delete_message

    def _pseudonyms(self, subject: Subject) -> list[tuple[int, str]]:
        return [
            (g, subject.pseudonym(pseudonym_scope(g), subject.user_id)) for g in subject.guild_ids
        ]

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        words: list[Row] = []
        me_too: list[Row] = []
        sends: list[Row] = []
        for guild_id, pseudonym in self._pseudonyms(subject):
            cursor = await conn.execute(
                "SELECT e.story_id, s.label, s.thread_id, e.anonymous, e.signature, e.body, "
                "e.message_id, e.created_at "
                "FROM encouragements e JOIN encouragement_stories s USING (story_id) "
                "WHERE e.guild_id = ? AND e.pseudonym = ? ORDER BY e.created_at",
                (guild_id, pseudonym),
            )
            for row in await cursor.fetchall():
                words.append(
                    {
                        "guild_id": str(guild_id),
                        "story": row["label"],
                        "posted_anonymously": bool(row["anonymous"]),
                        "signed_as": row["signature"],
                        "text_kept_for_digest": row["body"],
                        "thread_id": _id(row["thread_id"]),
                        "message_id": _id(row["message_id"]),
                        "posted_at": _iso(row["created_at"]),
                    }
                )
            cursor = await conn.execute(
                "SELECT s.label, m.created_at FROM encouragement_me_too m "
                "JOIN encouragement_stories s USING (story_id) "
                "WHERE m.guild_id = ? AND m.pseudonym = ? ORDER BY m.created_at",
                (guild_id, pseudonym),
            )
            for row in await cursor.fetchall():
                me_too.append(
                    {
                        "guild_id": str(guild_id),
                        "story": row["label"],
                        "said_at": _iso(row["created_at"]),
                    }
                )
            cursor = await conn.execute(
                "SELECT s.label, s.thread_id, d.kind, d.signature, d.words, d.message_id, "
                "d.created_at FROM encouragement_sends d "
                "JOIN encouragement_stories s USING (story_id) "
                "WHERE d.guild_id = ? AND d.pseudonym = ? ORDER BY d.created_at",
                (guild_id, pseudonym),
            )
            for row in await cursor.fetchall():
                sends.append(
                    {
                        "guild_id": str(guild_id),
                        "story": row["label"],
                        "what": "OP reply" if row["kind"] == "reply" else "encouragement",
                        "signed_as": row["signature"],
                        "posted": row["message_id"] is not None,
                        "text_waiting_for_confirmation": row["words"],
                        "thread_id": _id(row["thread_id"]),
                        "message_id": _id(row["message_id"]),
                        "submitted_at": _iso(row["created_at"]),
                    }
                )
        return {
            "encouragements": words,
            "encouragement_me_too": me_too,
            "encouragement_sends": sends,
        }

    async def remove_public(self, subject: Subject) -> dict[str, int]:
        """Delete from Discord the member's kind words signed with their name and their OP
        replies (a message already gone counts as removed). Runs before `delete`."""
        if self.store is None or self.delete_message is None:
            return {}
        posts: set[tuple[int, int]] = set()
        for guild_id, pseudonym in self._pseudonyms(subject):
            rows = await self.store.fetchall(
                "SELECT s.thread_id, e.message_id FROM encouragements e "
                "JOIN encouragement_stories s USING (story_id) WHERE e.guild_id = ? "
                "AND e.pseudonym = ? AND e.anonymous = 0 AND e.message_id IS NOT NULL "
                "AND s.thread_id IS NOT NULL "
                "UNION SELECT s.thread_id, d.message_id FROM encouragement_sends d "
                "JOIN encouragement_stories s USING (story_id) WHERE d.guild_id = ? "
                "AND d.pseudonym = ? AND d.message_id IS NOT NULL AND s.thread_id IS NOT NULL "
                "AND (d.kind = 'reply' OR d.signature IS NOT NULL)",
                (guild_id, pseudonym, guild_id, pseudonym),
            )
            posts |= {(int(r[0]), int(r[1])) for r in rows}
        for thread_id, message_id in sorted(posts):
            # Gone already, or in a place the bot can no longer reach (nothing more it can do).
            # A passing error (5xx) propagates: no row is deleted and the member tries again.
            with contextlib.suppress(discord.NotFound, discord.Forbidden):
                await self.delete_message(thread_id, message_id)
        if posts:
            log.info("Took down a member’s signed posts on their request (%d)", len(posts))
        return {"messages_in_threads": len(posts)}

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        removed = dict.fromkeys(_TABLES, 0)
        for guild_id, pseudonym in self._pseudonyms(subject):
            for table in removed:
                removed[table] += await delete_rows(
                    conn,
                    f"DELETE FROM {table} WHERE guild_id = ? AND pseudonym = ?",
                    (guild_id, pseudonym),
                )
        return removed

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        removed: dict[str, int] = {}
        for table in (
            "encouragements",
            "encouragement_me_too",
            "encouragement_sends",
            "encouragement_stories",
            "encouragement_settings",
            "encouragement_roundups",
        ):
            cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            removed[table] = cursor.rowcount
        await jobs.remove_job(conn, ROUNDUP_JOB, str(guild_id))
        cursor = await conn.execute("SELECT story_id FROM encouragement_stories")
        stories = {str(row[0]) for row in await cursor.fetchall()}
        for key in set(await jobs.job_keys(conn, DIGEST_JOB)) - stories:
            await jobs.remove_job(conn, DIGEST_JOB, key)
        return removed
