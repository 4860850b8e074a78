"""What encouragement stores about a member, for /privacy export and delete.

Encouragers and me-toos are stored under the member's keyed pseudonym per server, so their rows
are found by deriving that pseudonym for each server the request covers. The story author's
data belongs to the stories feature and is answered there.
"""

from __future__ import annotations

from typing import Any

import aiosqlite

from bot.privacy import Row, Subject
from bot.scheduling import from_epoch
from cogs.encouragement.repository import DIGEST_JOB, ROUNDUP_JOB, pseudonym_scope


def _iso(value: Any) -> str | None:
    return from_epoch(int(value)).isoformat() if value is not None else None


class EncouragementPersonalData:
    feature = "encouragement"

    def _pseudonyms(self, subject: Subject) -> list[tuple[int, str]]:
        return [
            (g, subject.pseudonym(pseudonym_scope(g), subject.user_id)) for g in subject.guild_ids
        ]

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        words: list[Row] = []
        me_too: list[Row] = []
        for guild_id, pseudonym in self._pseudonyms(subject):
            cursor = await conn.execute(
                "SELECT e.story_id, s.label, e.anonymous, e.signature, e.body, e.created_at "
                "FROM encouragements e JOIN encouragement_stories s USING (story_id) "
                "WHERE e.guild_id = ? AND e.pseudonym = ? ORDER BY e.created_at",
                (guild_id, pseudonym),
            )
            for row in await cursor.fetchall():
                words.append(
                    {
                        "server_id": guild_id,
                        "story": row["label"],
                        "posted_anonymously": bool(row["anonymous"]),
                        "signed_as": row["signature"],
                        "text_kept_for_digest": row["body"],
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
                    {"server_id": guild_id, "story": row["label"], "at": _iso(row["created_at"])}
                )
        return {"encouragements": words, "encouragement_me_too": me_too}

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        removed = {"encouragements": 0, "encouragement_me_too": 0}
        for guild_id, pseudonym in self._pseudonyms(subject):
            for table in removed:
                cursor = await conn.execute(
                    f"DELETE FROM {table} WHERE guild_id = ? AND pseudonym = ?",
                    (guild_id, pseudonym),
                )
                removed[table] += cursor.rowcount
        return removed

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        removed: dict[str, int] = {}
        for table in (
            "encouragements",
            "encouragement_me_too",
            "encouragement_stories",
            "encouragement_settings",
            "encouragement_roundups",
        ):
            cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            removed[table] = cursor.rowcount
        await conn.execute(
            "DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", (ROUNDUP_JOB, str(guild_id))
        )
        await conn.execute(
            "DELETE FROM scheduled_jobs WHERE kind = ? AND key NOT IN "
            "(SELECT CAST(story_id AS TEXT) FROM encouragement_stories)",
            (DIGEST_JOB,),
        )
        return removed
