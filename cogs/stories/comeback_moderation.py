"""Moderating updates as stories are moderated: approve or reject in the queue, reports with
Remove and Dismiss. Moderators act on an update by its opaque id and see only an Anon tag."""

from __future__ import annotations

import logging

from bot.errors import UserFacingError
from bot.scheduling import make_nonce, to_epoch
from cogs.stories import comeback_logic as cb
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.comeback import Comebacks
from cogs.stories.render import label
from cogs.stories.update_rows import UPDATE_JOB, Update

log = logging.getLogger(__name__)


class UpdateModeration:
    def __init__(self, comebacks: Comebacks) -> None:
        self.c = comebacks

    async def approve(self, public_id: str, guild_id: int) -> str:
        """Mark a pending update for posting; the occurrence to run now (`post_approved`)."""
        update = await self.c.update(public_id, guild_id)
        now = self.c.clock.now()
        async with self.c.store.transaction() as conn:
            if not await self.c.repo.change_update(conn, update.id, "pending", status="scheduled"):
                raise UserFacingError(msg.ALREADY_DECIDED)
        log.info("A story's update was approved")
        return f"approved-{to_epoch(now)}"

    async def post_approved(self, public_id: str, occurrence: str) -> None:
        """Through the engine's claim/run/record path, as a scheduled run."""
        await self.c.scheduler.run_now(UPDATE_JOB, public_id, occurrence)

    async def reject(self, public_id: str, guild_id: int, note: str | None = None) -> bool:
        """Do not post a pending update, with an optional note for the author; True if the
        author heard it by DM (only when they asked for DMs with their story, as a story's
        rejection is told). They see it in /mystories either way."""
        update = await self.c.update(public_id, guild_id)
        note = " ".join(cb.cleaned(note).split()) if note else None
        note = note or None
        async with self.c.store.transaction() as conn:
            moved = await self.c.repo.change_update(
                conn, update.id, "pending", status="rejected", decision_note=note
            )
            if not moved:
                raise UserFacingError(msg.ALREADY_DECIDED)
            await self.c.scheduler.remove_job(conn, UPDATE_JOB, public_id)
        log.info("A story's update was not approved")
        story = await self.c.repo.story_by_id(update.story_id)
        if story is None:
            return False
        server = self.c.publisher.guild_name(guild_id)
        shown = logic.sanitise(note, limit=400, links_allowed=False).text if note else None
        text = (
            msg.CB_DM_REJECTED.format(label=label(story), server=server, note=shown)
            if shown
            else msg.CB_DM_REJECTED_NO_NOTE.format(label=label(story), server=server)
        )
        return await self.c.stories.dm_author(story, text, what=f"cb-rejected-{public_id}")

    async def report(
        self, public_id: str, guild_id: int, user_id: int, reason: str | None
    ) -> tuple[Update, int | None]:
        """Record a report; its id, or None if this member already reported it."""
        update = await self.c.update(public_id, guild_id)
        if update.status != "posted":
            raise UserFacingError(msg.REPORT_NOT_POSTED)
        reason = cb.cleaned(reason) if reason else None
        reason = reason or None
        reporter = self.c.stories.reporter_of(guild_id, user_id)
        async with self.c.store.transaction() as conn:
            report_id = await self.c.repo.add_update_report(
                conn, update.id, reporter, reason, self.c.clock.now()
            )
        if report_id is not None:
            log.info("A story's update was reported")
        return update, report_id

    async def forward(self, update: Update, reason: str | None, report_id: int) -> None:
        story = await self.c.repo.story_by_id(update.story_id)
        if story is None:
            return
        settings = await self.c.repo.settings(update.guild_id)
        nonce = make_nonce(UPDATE_JOB, update.public_id, f"report-{report_id}")
        sent = await self.c.publisher.send_report(story, update, settings, reason, nonce=nonce)
        if sent is None:
            server = self.c.publisher.guild_name(story.guild_id)
            text = msg.NO_MOD_CHANNEL_REPORT.format(server=server)
            await self.c.stories.publisher.notify_admins(story.guild_id, text, nonce=nonce)
            return
        await self.c.repo.set_update_report_message(report_id, sent[0], sent[1])

    async def remove(self, public_id: str, guild_id: int) -> Update:
        update = await self.c.update(public_id, guild_id)
        if update.status not in ("posted", "scheduled", "pending"):
            raise UserFacingError(msg.ALREADY_DECIDED)
        # The report messages stay (the moderator is looking at one); the rest goes.
        for channel_id, message_id in (
            (update.thread_id, update.message_id),
            (update.card_channel_id, update.card_message_id),
        ):
            if channel_id and message_id:
                await self.c.publisher.delete_message(channel_id, message_id)
        async with self.c.store.transaction() as conn:
            await self.c.repo.change_update(conn, update.id, status="removed")
            await self.c.repo.close_update_reports(conn, update.id, "removed")
            await self.c.scheduler.remove_job(conn, UPDATE_JOB, public_id)
        log.info("A story's update was removed by a moderator")
        return update

    async def dismiss(self, public_id: str, guild_id: int) -> None:
        update = await self.c.update(public_id, guild_id)
        async with self.c.store.transaction() as conn:
            await self.c.repo.close_update_reports(conn, update.id, "dismissed")
