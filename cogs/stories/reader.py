"""What the stories feature lets other features read about a story, without its tables (and
the one thing they may ask of it: the author's "DM me about this story").

Provided in the core as ``bot.seams.reader(STORIES_READER)`` (bot/seams.py). Nothing here
reveals who wrote a story: "is this member the author?" compares keyed pseudonyms, and the
author's member id is unsealed only for the digest they asked for.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import aiosqlite

from bot.anonymity import Anonymizer
from bot.db import Store
from bot.scheduling import to_epoch
from cogs.stories import logic
from cogs.stories.delivery import posted_event
from cogs.stories.records import _story
from cogs.stories.service import StoryService

log = logging.getLogger(__name__)


class StoriesReader:
    """Reads stories by id, read-only. ``author`` is the keyed pseudonym of scope
    "stories:<guild>"; ``sealed_author`` the member id sealed with context
    "story-dm:<guild>:<public id>", present only when the author asked for DMs about the story
    (the digest's opt-in)."""

    def __init__(self, store: Store, anonymizer: Anonymizer, service: StoryService) -> None:
        self.store = store
        self.anonymizer = anonymizer
        self.service = service

    async def opt_in_dm(self, public_id: str, guild_id: int, user_id: int) -> bool:
        """The author asks to hear about their story (the "DM me" choice, from another
        feature's button): the stories service keeps their id sealed. False if it already was."""
        return await self.service.opt_in_dm(public_id, guild_id, user_id)

    async def own_posted(self, guild_id: int, user_id: int) -> list[int]:
        """The ids of the member's own stories that are up in this server (as /mystories lists
        them)."""
        return [s.id for s in await self.service.mine(guild_id, user_id) if s.status == "posted"]

    async def _row(self, story_id: int) -> aiosqlite.Row | None:
        return await self.store.fetchone(
            "SELECT guild_id, public_id, author, sealed_author, status FROM stories WHERE id = ?",
            (story_id,),
        )

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
        """The author's member id, unsealed only now and only if they want digests."""
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
        return await self.store.fetchone(
            "SELECT channel_id, links_allowed FROM story_settings WHERE guild_id = ?", (guild_id,)
        )

    async def links_allowed(self, guild_id: int) -> bool:
        row = await self._settings(guild_id)
        return bool(row and row["links_allowed"])

    async def stories_channel(self, guild_id: int) -> int | None:
        row = await self._settings(guild_id)
        return int(row["channel_id"]) if row and row["channel_id"] else None

    async def is_posted(self, story_id: int) -> bool:
        row = await self._row(story_id)
        return row is not None and row["status"] == "posted"

    async def is_posted_here(self, public_id: str, guild_id: int) -> bool:
        """Whether this server's story is up (its thread may still be on its way)."""
        row = await self.store.fetchone(
            "SELECT 1 FROM stories WHERE public_id = ? AND guild_id = ? AND status = 'posted'",
            (public_id, guild_id),
        )
        return row is not None

    async def posted_since(self, since: datetime) -> list[tuple[str, Mapping[str, Any]]]:
        """Stories up since ``since``: (public id, the data of their STORY_POSTED event)."""
        rows = await self.store.fetchall(
            "SELECT * FROM stories WHERE status = 'posted' AND message_id IS NOT NULL "
            "AND channel_id IS NOT NULL AND number IS NOT NULL AND posted_at >= ? ORDER BY id",
            (to_epoch(since),),
        )
        stories = [_story(r) for r in rows]
        return [(story.public_id, posted_event(story)) for story in stories]

    async def comebacks_between(self, guild_id: int, start: datetime, end: datetime) -> int:
        """How many members shared an update on their story in [start, end) (the weekly
        roundup's count; counts only)."""
        return await self.service.repo.comeback_count(guild_id, start, end)

    def label(self, number: int) -> str:
        """How a story is named where it is shown ("Story #3")."""
        return logic.story_label(number)

    def stage_label(self, stage: str) -> str | None:
        """A stage as shown ("Final round"); None for a stage this version does not know."""
        return logic.STAGE_LABELS.get(stage)
