"""What encouragement needs to know about a story's author, answered by the stories feature's
table without ever revealing who the author is: "is this member the author?" (by keyed
pseudonym) and "who gets the digest?" (the sealed member id, only if they opted in)."""

from __future__ import annotations

import logging
from typing import Protocol

import aiosqlite

from bot.anonymity import Anonymizer
from bot.db import Store

log = logging.getLogger(__name__)


class StoryAuthors(Protocol):
    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool: ...

    async def wants_digest(self, story_id: int) -> bool: ...

    async def digest_recipient(self, story_id: int) -> int | None:
        """The author's member id, unsealed only now and only if they want digests."""
        ...


class StoriesTableAuthors:
    """Reads the stories table (owned by cogs/stories) by story id; read-only."""

    def __init__(self, store: Store, anonymizer: Anonymizer) -> None:
        self.store = store
        self.anonymizer = anonymizer

    async def _row(self, story_id: int) -> aiosqlite.Row | None:
        try:
            return await self.store.fetchone(
                "SELECT guild_id, author_pseudonym, author_sealed, notify_encouragement "
                "FROM stories WHERE id = ?",
                (story_id,),
            )
        except aiosqlite.OperationalError:
            log.warning("The stories table is not available; treating the author as unknown")
            return None

    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool:
        row = await self._row(story_id)
        if row is None or row["guild_id"] != guild_id:
            return False
        mine = self.anonymizer.pseudonym(f"stories:{guild_id}", user_id)
        return bool(row["author_pseudonym"]) and mine == row["author_pseudonym"]

    async def wants_digest(self, story_id: int) -> bool:
        row = await self._row(story_id)
        return bool(row and row["notify_encouragement"] and row["author_sealed"])

    async def digest_recipient(self, story_id: int) -> int | None:
        row = await self._row(story_id)
        if not (row and row["notify_encouragement"] and row["author_sealed"]):
            return None
        plain = self.anonymizer.unseal(row["author_sealed"], context=f"story-author:{story_id}")
        return int(plain.decode()) if plain else None
