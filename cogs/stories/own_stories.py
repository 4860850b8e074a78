"""The author's own stories: their list, drafts awaiting a decision, and deleting one."""

from __future__ import annotations

import logging
from datetime import datetime

import aiosqlite

from bot.errors import UserFacingError
from cogs.stories import messages as msg
from cogs.stories.base import StoryServiceBase
from cogs.stories.repository import POST_JOB, Story
from cogs.stories.sharing import ACK_WINDOW, DRAFT_LIFETIME

log = logging.getLogger(__name__)


class OwnStories(StoryServiceBase):
    async def draft(self, public_id: str, guild_id: int, user_id: int) -> Story:
        story = await self._own_story(public_id, guild_id, user_id)
        if story.status != "draft":
            raise UserFacingError(msg.DRAFT_GONE)
        return story

    async def mine(self, guild_id: int, user_id: int) -> list[Story]:
        return await self.repo.by_author(guild_id, self.author_of(guild_id, user_id), limit=10)

    async def own(self, public_id: str, guild_id: int, user_id: int) -> Story:
        return await self._own_story(public_id, guild_id, user_id)

    async def delete_own(self, public_id: str, guild_id: int, user_id: int) -> Story:
        """Delete the post (and its thread), the queue message, the job and the row."""
        story = await self._own_story(public_id, guild_id, user_id)
        await self.take_down_updates(story)
        if story.status in ("posted", "removed") and story.message_id is not None:
            await self.publisher.delete_post(story)
        if story.queue_channel_id and story.queue_message_id:
            await self.publisher.delete_message(story.queue_channel_id, story.queue_message_id)
        for report in await self.repo.open_reports(story.id):
            if report.queue_channel_id and report.queue_message_id:
                await self.publisher.delete_message(
                    report.queue_channel_id, report.queue_message_id
                )
        async with self.store.transaction() as conn:
            await self.scheduler.remove_job(conn, POST_JOB, public_id)
            await self.repo.delete(conn, story.id)
            await self.announce_gone(conn, story.id, public_id, story.guild_id)
        log.info("A story was deleted by its writer")
        return story

    async def unconfirm(self, story: Story) -> bool:
        """Discord refused the acknowledgement (its 3-second deadline passed): the member saw
        "interaction failed", not "thank you". Nothing was scheduled yet, and nothing is: the
        story stays a draft that their next /share offers back (post, edit or discard).
        A bot that stopped before answering leaves it awaiting; after ACK_WINDOW it counts as
        unconfirmed the same way (`expire_awaiting_in`). True if it was still awaiting."""
        async with self.store.transaction() as conn:
            return await self.repo.unconfirm_in(conn, story.id)

    async def expire_unconfirmed_on_start(self) -> int:
        """Run at load, before any interaction: a story awaiting its acknowledgement when the
        bot stopped (kill -9 between storing and answering) was not seen as accepted; it waits
        for its author's next /share instead of being posted unseen."""
        count = await self.repo.expire_all_awaiting()
        if count:
            log.info("Unconfirmed stories were kept as drafts, not posted (%d)", count)
        return count

    async def unconfirmed_draft(self, guild_id: int, user_id: int) -> Story | None:
        """The member's latest story whose acknowledgement never reached them, if any."""
        author = self.author_of(guild_id, user_id)
        return await self.store.run(self._unconfirmed_in, guild_id, author, self.clock.now())

    async def _unconfirmed_in(
        self, conn: aiosqlite.Connection, guild_id: int, author: str, now: datetime
    ) -> Story | None:
        await self.repo.delete_stale_drafts_in(conn, now - DRAFT_LIFETIME)
        await self.repo.expire_awaiting_in(conn, guild_id, author, now - ACK_WINDOW)
        return await self.repo.unconfirmed_in(conn, guild_id, author)

    async def discard_draft(self, public_id: str, guild_id: int, user_id: int) -> None:
        story = await self.draft(public_id, guild_id, user_id)
        async with self.store.transaction() as conn:
            await self.repo.delete(conn, story.id)
