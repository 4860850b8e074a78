"""What every part of the stories service shares: its dependencies, who wrote a story, the
server's settings and the one way a story's post is put on the scheduler."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.db import Store
from bot.errors import UserFacingError
from bot.scheduling import Scheduler, to_epoch
from bot.seams import STORY_DELETED
from cogs.stories import messages as msg
from cogs.stories.content import CrisisContent
from cogs.stories.repository import POST_JOB, Story, StoryRepository, StorySettings
from cogs.stories.update_rows import Update

if TYPE_CHECKING:
    from cogs.stories.delivery import Publisher


class StoryServiceBase:
    """The dependencies and small shared steps of StoryService (cogs/stories/service.py)."""

    store: Store
    repo: StoryRepository
    clock: Clock
    scheduler: Scheduler
    anonymizer: Anonymizer
    crisis: CrisisContent
    publisher: Publisher
    rng: random.Random

    # -- who -----------------------------------------------------------------------------------

    def author_of(self, guild_id: int, user_id: int) -> str:
        return self.anonymizer.pseudonym(f"stories:{guild_id}", user_id)

    def reporter_of(self, guild_id: int, user_id: int) -> str:
        return self.anonymizer.pseudonym(f"story-reports:{guild_id}", user_id)

    def _seal_context(self, story: Story) -> str:
        return f"story-dm:{story.guild_id}:{story.public_id}"

    async def _own_story(self, public_id: str, guild_id: int, user_id: int) -> Story:
        story = await self.repo.get(public_id)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(msg.STORY_GONE)
        if not secrets.compare_digest(story.author, self.author_of(guild_id, user_id)):
            raise UserFacingError(msg.NOT_YOURS)
        return story

    async def story(self, public_id: str, guild_id: int) -> Story:
        story = await self.repo.get(public_id)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(msg.STORY_GONE)
        return story

    @staticmethod
    def needs_review(settings: StorySettings, *, crisis: bool) -> bool:
        """Approval for every story, or crisis stories held for a moderator."""
        held = crisis and settings.crisis_policy == "hold" and settings.mod_channel_id is not None
        return settings.holds_for_review or held

    async def schedule(
        self, conn: aiosqlite.Connection, public_id: str, due: datetime, step: str, guild_id: int
    ) -> None:
        """The story's post as a job of its server (a fleet's process of its shard takes it)."""
        rule = {"due": to_epoch(due), "step": step}
        await self.scheduler.put_job(
            conn, POST_JOB, public_id, rule, after=due - timedelta(seconds=1), guild_id=guild_id
        )

    async def settings(self, guild_id: int) -> StorySettings:
        return await self.repo.settings(guild_id)

    async def save_settings(self, settings: StorySettings) -> None:
        await self.repo.save_settings(settings, self.clock.now())

    async def announce_gone(
        self, conn: aiosqlite.Connection, story_id: int, public_id: str, guild_id: int
    ) -> None:
        """In the transaction that deletes (or removes) the story's row, never after it: other
        features drop what hangs off the story (encouragement's thread, kind words, me-toos) as
        jobs of their own, across crashes. Keyed by a token of its own, not the public id: the
        cleanup's run history, kept until the normal pruning, names no story (the event's row,
        pruned with it, holds the ids its subscribers need)."""
        # The server's id makes the cleanup its server's work (a fleet's process of its shard).
        data = {"story_id": story_id, "public_id": public_id, "guild_id": guild_id}
        await self.scheduler.events.emit(conn, STORY_DELETED, secrets.token_hex(16), data)

    # -- a story's updates (the comeback) go with it ----------------------------------------------

    async def take_down_update(self, update: Update) -> None:
        """What Discord shows of one update: its post in the thread, its card, its queue and
        report messages (a message already gone is fine)."""
        places = [
            (update.thread_id, update.message_id),
            (update.card_channel_id, update.card_message_id),
            (update.queue_channel_id, update.queue_message_id),
        ]
        for report in await self.repo.open_update_reports(update.id):
            places.append((report.queue_channel_id, report.queue_message_id))
        for channel_id, message_id in places:
            if channel_id and message_id:
                await self.publisher.delete_message(channel_id, message_id)

    async def take_down_updates(self, story: Story) -> None:
        """Before a story goes (deleted, removed): its updates' messages go with it (their rows
        go with the story's, by cascade)."""
        for update in await self.repo.all_updates_of(story.id):
            await self.take_down_update(update)
