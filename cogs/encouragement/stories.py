"""What encouragement reads about stories: only through the reader the stories feature provides
in the core (``bot.seams``, STORIES_READER), never its tables.

The reader says who wrote a story without revealing it ("is this member the author?", by keyed
pseudonym; "who gets the digest?", the author's id only if they opted in), the server's stories
settings, and how a story is named. While the stories feature is not loaded there are no
stories: nobody is an author, nothing is posted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, cast

from bot.errors import UserFacingError
from bot.seams import STORIES_READER, Seams
from cogs.encouragement import messages as m
from cogs.encouragement.repository import EncouragementRepository


class StoriesReader(Protocol):
    """What encouragement needs from the stories feature's reader (cogs/stories/reader.py)."""

    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool: ...

    async def wants_digest(self, story_id: int) -> bool: ...

    async def digest_recipient(self, story_id: int) -> int | None: ...

    async def links_allowed(self, guild_id: int) -> bool: ...

    async def stories_channel(self, guild_id: int) -> int | None: ...

    async def is_posted(self, story_id: int) -> bool: ...

    async def is_posted_here(self, public_id: str, guild_id: int) -> bool: ...

    async def posted_since(self, since: datetime) -> list[tuple[str, Mapping[str, Any]]]: ...

    async def opt_in_dm(self, public_id: str, guild_id: int, user_id: int) -> bool: ...

    async def own_posted(self, guild_id: int, user_id: int) -> list[int]: ...

    async def comebacks_between(self, guild_id: int, start: datetime, end: datetime) -> int: ...

    def label(self, number: int) -> str: ...

    def stage_label(self, stage: str) -> str | None: ...


class StoriesData:
    """The stories feature's reader, looked up at each use (features load in any order)."""

    def __init__(self, seams: Seams, repo: EncouragementRepository) -> None:
        self.seams = seams
        self.repo = repo

    def _reader(self) -> StoriesReader | None:
        return cast("StoriesReader | None", self.seams.reader(STORIES_READER))

    async def is_author(self, story_id: int, guild_id: int, user_id: int) -> bool:
        reader = self._reader()
        return reader is not None and await reader.is_author(story_id, guild_id, user_id)

    async def wants_digest(self, story_id: int) -> bool:
        reader = self._reader()
        return reader is not None and await reader.wants_digest(story_id)

    async def digest_recipient(self, story_id: int) -> int | None:
        """The author's member id, unsealed only now and only if they want digests."""
        reader = self._reader()
        return None if reader is None else await reader.digest_recipient(story_id)

    async def links_allowed(self, guild_id: int) -> bool:
        reader = self._reader()
        return reader is not None and await reader.links_allowed(guild_id)

    async def stories_channel(self, guild_id: int) -> int | None:
        reader = self._reader()
        return None if reader is None else await reader.stories_channel(guild_id)

    async def is_posted(self, story_id: int) -> bool:
        reader = self._reader()
        return reader is not None and await reader.is_posted(story_id)

    async def is_posted_here(self, public_id: str, guild_id: int) -> bool:
        """Whether this server's story is up (its thread may still be on its way)."""
        reader = self._reader()
        return reader is not None and await reader.is_posted_here(public_id, guild_id)

    async def posted_without_thread(self, since: datetime) -> list[tuple[str, Mapping[str, Any]]]:
        """Stories posted since `since` with no encouragement thread recorded: (public id, the
        data of their "posted" event)."""
        reader = self._reader()
        if reader is None:
            return []
        posted = await reader.posted_since(since)
        with_thread = await self.repo.stories_with_thread([int(d["story_id"]) for _, d in posted])
        return [(key, data) for key, data in posted if int(data["story_id"]) not in with_thread]

    async def opt_in_dm(self, public_id: str, guild_id: int, user_id: int) -> bool:
        """The author asks to hear about their story (the stories feature keeps the sealed id);
        False if they already had."""
        reader = self._reader()
        if reader is None:
            raise UserFacingError(m.STORY_GONE)
        return await reader.opt_in_dm(public_id, guild_id, user_id)

    async def own_posted(self, guild_id: int, user_id: int) -> list[int]:
        """The member's own stories that are up here (their ids), newest as /mystories shows."""
        reader = self._reader()
        if reader is None:
            raise UserFacingError(m.STORY_GONE)
        return await reader.own_posted(guild_id, user_id)

    async def comebacks_between(self, guild_id: int, start: datetime, end: datetime) -> int:
        """How many members shared a comeback (an update on their story) in [start, end)."""
        reader = self._reader()
        if reader is None:
            return 0
        return await reader.comebacks_between(guild_id, start, end)

    def label(self, number: int) -> str:
        reader = self._reader()
        # The stories feature names them so; kept here for a thread opened while it reloads.
        return reader.label(number) if reader is not None else f"Story #{number}"

    def stage_label(self, stage: str) -> str | None:
        reader = self._reader()
        return None if reader is None else reader.stage_label(stage)
