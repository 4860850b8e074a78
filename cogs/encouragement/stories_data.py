"""What encouragement reads from the stories feature's tables (read-only): about a story's
author without ever revealing who it is — "is this member the author?" (by keyed pseudonym) and
"who gets the digest?" (the sealed member id, only if they opted in) — and the server's stories
settings (the stories channel, whether links are allowed)."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import aiosqlite

from bot.anonymity import Anonymizer
from bot.db import Store
from bot.scheduling import to_epoch

log = logging.getLogger(__name__)


class StoriesData(Protocol):
    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool: ...

    async def wants_digest(self, story_id: int) -> bool: ...

    async def digest_recipient(self, story_id: int) -> int | None:
        """The author's member id, unsealed only now and only if they want digests."""
        ...

    async def links_allowed(self, guild_id: int) -> bool: ...

    async def stories_channel(self, guild_id: int) -> int | None: ...

    async def is_posted(self, story_id: int) -> bool: ...

    async def is_posted_here(self, public_id: str, guild_id: int) -> bool:
        """Whether this server's story is up (its thread may still be on its way)."""
        ...

    async def posted_without_thread(self, since: datetime) -> list[PostedStory]:
        """Stories posted since `since` that have no encouragement thread recorded."""
        ...


@dataclass(frozen=True, slots=True)
class PostedStory:
    """What a story's "posted" event carries (cogs/stories/service.py posted_event)."""

    story_id: int
    public_id: str
    guild_id: int
    channel_id: int
    message_id: int
    forum_post_id: int | None
    number: int
    stage: str

    def event_data(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "guild_id": self.guild_id,
            "channel_id": self.channel_id,
            "message_id": self.message_id,
            "forum_post_id": self.forum_post_id,
            "number": self.number,
            "stage": self.stage,
        }


class StoriesTable:
    """Reads the stories table (owned by cogs/stories) by story id, read-only: `author` is the
    keyed pseudonym of scope "stories:<guild>", `sealed_author` the member id sealed with
    context "story-dm:<guild>:<public id>", present only when the author asked for DMs about
    the story (the digest's opt-in)."""

    def __init__(self, store: Store, anonymizer: Anonymizer) -> None:
        self.store = store
        self.anonymizer = anonymizer

    async def _row(self, story_id: int) -> aiosqlite.Row | None:
        try:
            return await self.store.fetchone(
                "SELECT guild_id, public_id, author, sealed_author FROM stories WHERE id = ?",
                (story_id,),
            )
        except aiosqlite.OperationalError:
            log.warning("The stories table is not available yet; nobody counts as a story's writer")
            return None

    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool:
        row = await self._row(story_id)
        if row is None or row["guild_id"] != guild_id:
            return False
        mine = self.anonymizer.pseudonym(f"stories:{guild_id}", user_id)
        return hmac.compare_digest(mine, str(row["author"]))

    async def wants_digest(self, story_id: int) -> bool:
        row = await self._row(story_id)
        return bool(row and row["sealed_author"])

    async def digest_recipient(self, story_id: int) -> int | None:
        row = await self._row(story_id)
        if not (row and row["sealed_author"]):
            return None
        plain = self.anonymizer.unseal(
            row["sealed_author"], context=f"story-dm:{row['guild_id']}:{row['public_id']}"
        )
        if plain is None:
            log.warning("A sealed story token did not open (wrong key or tampered)")
            return None
        return int(plain.decode())

    async def _settings(self, guild_id: int) -> aiosqlite.Row | None:
        try:
            return await self.store.fetchone(
                "SELECT channel_id, links_allowed FROM story_settings WHERE guild_id = ?",
                (guild_id,),
            )
        except aiosqlite.OperationalError:
            return None

    async def links_allowed(self, guild_id: int) -> bool:
        row = await self._settings(guild_id)
        return bool(row and row["links_allowed"])

    async def stories_channel(self, guild_id: int) -> int | None:
        row = await self._settings(guild_id)
        return int(row["channel_id"]) if row and row["channel_id"] else None

    async def is_posted(self, story_id: int) -> bool:
        try:
            row = await self.store.fetchone("SELECT status FROM stories WHERE id = ?", (story_id,))
        except aiosqlite.OperationalError:
            return False
        return row is not None and row["status"] == "posted"

    async def is_posted_here(self, public_id: str, guild_id: int) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM stories WHERE public_id = ? AND guild_id = ? AND status = 'posted'",
            (public_id, guild_id),
        )
        return row is not None

    async def posted_without_thread(self, since: datetime) -> list[PostedStory]:
        try:
            rows = await self.store.fetchall(
                "SELECT s.id, s.public_id, s.guild_id, s.channel_id, s.message_id, s.thread_id, "
                "s.number, s.stage FROM stories s "
                "LEFT JOIN encouragement_stories e ON e.story_id = s.id "
                "WHERE s.status = 'posted' AND s.message_id IS NOT NULL "
                "AND s.channel_id IS NOT NULL AND s.number IS NOT NULL "
                "AND s.posted_at >= ? AND e.thread_id IS NULL",
                (to_epoch(since),),
            )
        except aiosqlite.OperationalError:
            return []
        return [
            PostedStory(
                story_id=int(r["id"]),
                public_id=str(r["public_id"]),
                guild_id=int(r["guild_id"]),
                channel_id=int(r["channel_id"]),
                message_id=int(r["message_id"]),
                forum_post_id=(
                    int(r["thread_id"])
                    if r["thread_id"] is not None and r["thread_id"] == r["message_id"]
                    else None
                ),
                number=int(r["number"]),
                stage=str(r["stage"]),
            )
            for r in rows
        ]
