"""Moderation of anonymous stories: approve, reject, block, reports. Moderators act on a story
(by its opaque id) and on its author's full pseudonym; they never learn who the author is."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.errors import UserFacingError
from bot.scheduling import make_nonce, to_epoch
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.render import label
from cogs.stories.repository import POST_JOB, Story, StorySettings
from cogs.stories.service import StoryService

log = logging.getLogger(__name__)


class Moderation:
    def __init__(self, stories: StoryService) -> None:
        self.stories = stories
        self.repo = stories.repo
        self.store = stories.store
        self.clock = stories.clock

    async def approve(self, public_id: str, guild_id: int) -> tuple[Story, str]:
        """Mark a pending story for posting; returns it and the occurrence to run now."""
        story = await self.stories.story(public_id, guild_id)
        now = self.clock.now()
        async with self.store.transaction() as conn:
            if not await self.repo.move(conn, story.id, "pending", status="scheduled", due_at=now):
                raise UserFacingError(msg.ALREADY_DECIDED)
        log.info("A story was approved")
        return story, f"approved-{to_epoch(now)}"

    async def reject(self, public_id: str, guild_id: int, note: str | None) -> tuple[Story, bool]:
        """Reject a pending story; True if the author heard the note by DM."""
        story = await self.stories.story(public_id, guild_id)
        note = " ".join(note.split()) if note and note.strip() else None
        async with self.store.transaction() as conn:
            moved = await self.repo.move(
                conn, story.id, "pending", status="rejected", decision_note=note
            )
            if not moved:
                raise UserFacingError(msg.ALREADY_DECIDED)
            await self.stories.scheduler.remove_job(conn, POST_JOB, public_id)
        server = self.stories.publisher.guild_name(guild_id)
        shown = logic.sanitise(note, limit=400, links_allowed=False).text if note else None
        text = (
            msg.DM_REJECTED.format(server=server, note=shown)
            if shown
            else msg.DM_REJECTED_NO_NOTE.format(server=server)
        )
        told = await self.stories.dm_author(story, text, what="rejected")
        log.info("A story was rejected")
        return story, told

    async def block(self, public_id: str, guild_id: int) -> tuple[Story, bool]:
        """Block the story's author (full pseudonym); a pending story is not posted."""
        story = await self.stories.story(public_id, guild_id)
        async with self.store.transaction() as conn:
            newly = await self.repo.block(conn, guild_id, story.author, self.clock.now())
            if story.status in ("pending", "scheduled"):
                await self.repo.move(conn, story.id, story.status, status="rejected")
                await self.stories.scheduler.remove_job(conn, POST_JOB, public_id)
        log.info("A story’s writer was blocked")
        return story, newly

    async def unblock_story_author(self, public_id: str, guild_id: int) -> Story:
        story = await self.stories.story(public_id, guild_id)
        await self.repo.unblock(guild_id, story.author)
        return story

    async def unblock_tag(self, guild_id: int, tag: str) -> int:
        """Unblock the one blocked author whose short tag is `tag`: the number that matched
        (0 or more than 1 unblocks nobody)."""
        matching = [
            a for a in await self.repo.blocked_authors(guild_id) if logic.anon_tag(a) == tag
        ]
        if len(matching) == 1:
            await self.repo.unblock(guild_id, matching[0])
        return len(matching)

    async def report(
        self, public_id: str, guild_id: int, user_id: int, reason: str | None
    ) -> tuple[Story, StorySettings, int | None]:
        """Record a report; the report's id, or None if this member already reported it."""
        story = await self.stories.story(public_id, guild_id)
        if story.status != "posted":
            raise UserFacingError(msg.REPORT_NOT_POSTED)
        reason = reason.strip() if reason and reason.strip() else None
        async with self.store.transaction() as conn:
            report_id = await self.repo.add_report(
                conn,
                story.id,
                self.stories.reporter_of(guild_id, user_id),
                reason,
                self.clock.now(),
            )
        if report_id is not None:
            log.info("A story was reported")
        return story, await self.repo.settings(guild_id), report_id

    async def forward_report(
        self, story: Story, settings: StorySettings, report_id: int, reason: str | None
    ) -> None:
        """Show a new report to the moderators; without a moderators' channel, ask the admins
        for one."""
        nonce = make_nonce(POST_JOB, story.public_id, f"report-{report_id}")
        publisher = self.stories.publisher
        sent = await publisher.send_report(story, settings, reason, nonce=nonce)
        if sent is None:
            server = publisher.guild_name(story.guild_id)
            text = msg.NO_MOD_CHANNEL_REPORT.format(server=server)
            await publisher.notify_admins(story.guild_id, text, nonce=nonce)
            return
        await self.repo.set_report_message(report_id, sent.channel_id, sent.message_id)

    async def remove(self, public_id: str, guild_id: int) -> Story:
        story = await self.stories.story(public_id, guild_id)
        if story.status != "posted":
            raise UserFacingError(msg.ALREADY_DECIDED)
        await self.stories.take_down_updates(story)
        await self.stories.publisher.delete_post(story)
        async with self.store.transaction() as conn:
            await self.repo.move(conn, story.id, "posted", status="removed")
            await self.repo.close_reports(conn, story.id, "removed")
            await self.repo.remove_updates_of_in(conn, story.id)
            await self.stories.announce_gone(conn, story.id, story.public_id, story.guild_id)
        await self.stories.dm_author(
            story,
            msg.DM_REMOVED.format(
                label=label(story),
                server=self.stories.publisher.guild_name(guild_id),
            ),
            what="removed",
        )
        log.info("A story was removed by a moderator")
        return story

    async def dismiss(self, public_id: str, guild_id: int) -> Story:
        story = await self.stories.story(public_id, guild_id)
        async with self.store.transaction() as conn:
            await self.repo.close_reports(conn, story.id, "dismissed")
        return story

    async def block_counts(self, guild_id: int) -> tuple[int, int]:
        return await self.repo.block_counts(guild_id, self.clock.now() - timedelta(days=30))
