"""Delivering a story: the post (or the moderators' queue), a failure, a retry, a DM.

Discord work goes through a `Publisher` (cogs/stories/posting.py). A story is posted by the
scheduler's due-work runner (kind `stories.post`, key = the story's opaque id), so a restart
between storing and posting neither loses nor doubles it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.scheduling import DueRun, Occurrence, Outcome, from_epoch, make_nonce, to_epoch
from cogs.stories import messages as msg
from cogs.stories.base import StoryServiceBase
from cogs.stories.render import jump_url, label
from cogs.stories.repository import POST_JOB, STORY_POSTED, Story, StorySettings

if TYPE_CHECKING:
    from cogs.stories.service import StoryService

log = logging.getLogger(__name__)

POST_GRACE = timedelta(days=7)
# The step of the one-shot run that tells an author their story could not go out in time.
LOST_STEP = "lost"


@dataclass(frozen=True, slots=True)
class Posted:
    channel_id: int
    message_id: int
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    """Discord refused for good (the channel is gone or closed to the bot). A passing error
    raises bot.scheduling.RetryLater instead: the scheduler tries again with the same nonce."""

    reason: str


class Publisher(Protocol):
    """The Discord side of stories (cogs/stories/posting.py)."""

    async def publish(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> Posted | Failed:
        """Post the story; `retrying`: an earlier run may have got as far as Discord (a
        forum post, which takes no nonce, is looked for before it is made)."""
        ...

    async def send_to_queue(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> Posted | Failed: ...

    async def send_report(
        self, story: Story, settings: StorySettings, reason: str | None, *, nonce: str
    ) -> Posted | None: ...

    async def delete_post(self, story: Story) -> None: ...

    async def delete_message(self, channel_id: int, message_id: int) -> None: ...

    async def dm(self, user_id: int, text: str, *, nonce: str) -> bool: ...

    async def notify_admins(self, guild_id: int, text: str, *, nonce: str) -> None: ...

    def guild_name(self, guild_id: int) -> str: ...


def posted_event(story: Story) -> dict[str, Any]:
    """The data of a STORY_POSTED event: ids and labels, nothing about the author."""
    assert story.number is not None
    return {
        "story_id": story.id,
        "guild_id": story.guild_id,
        "channel_id": story.channel_id,
        "message_id": story.message_id,
        # A forum post is its own thread (its id is the starter message's); None elsewhere.
        "forum_post_id": story.thread_id if story.thread_id == story.message_id else None,
        "number": story.number,
        "stage": story.stage,
    }


class DeliverJob:
    """The scheduler's handle on a story: one due run posts it (or sends it for review).

    Resumable: a run a crash left in flight is run again at any age, not only inside Discord's
    nonce window (past it, the story would stay "scheduled" for ever and its author never
    hear). A retried run looks for the post an earlier attempt made before it posts."""

    kind = POST_JOB
    resumable = True

    def __init__(self, service: StoryService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, str(rule["step"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return POST_GRACE

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        if run.occurrence == LOST_STEP:
            return await self.service.tell_lost(run.key)
        return await self.service.deliver(run.key, retrying=run.attempt > 1)


class Delivery(StoryServiceBase):
    async def opt_in_dm(self, public_id: str, guild_id: int, user_id: int) -> bool:
        """Keep the author's id, sealed, so they can hear about this story. False if already."""
        story = await self._own_story(public_id, guild_id, user_id)
        if story.sealed_author is not None:
            return False
        sealed = self.anonymizer.seal(str(user_id).encode(), context=self._seal_context(story))
        async with self.store.transaction() as conn:
            await self.repo.update(conn, story.id, sealed_author=sealed)
        return True

    async def dm_author(self, story: Story, text: str, *, what: str) -> bool:
        """DM the author if they asked for it; `what` names the message (its nonce)."""
        if story.sealed_author is None:
            return False
        plain = self.anonymizer.unseal(story.sealed_author, context=self._seal_context(story))
        if plain is None:
            log.warning("A sealed DM token did not open (wrong key or tampered)")
            return False
        nonce = make_nonce(POST_JOB, story.public_id, f"dm-{what}")
        return await self.publisher.dm(int(plain.decode()), text, nonce=nonce)

    # -- delivering ----------------------------------------------------------------------------

    async def retry_failed(self, guild_id: int) -> int:
        """After an admin picked a new channel: stories of the last week that failed for want
        of one go out again (posts, or to the queue if they were waiting for review)."""
        now = self.clock.now()
        settings = await self.repo.settings(guild_id)
        stories = await self.repo.failed_since(guild_id, now - POST_GRACE)
        for story in stories:
            approved = story.queue_message_id is not None
            review = not approved and self.needs_review(settings, crisis=story.crisis)
            status = "pending" if review else "scheduled"
            async with self.store.transaction() as conn:
                await self.repo.move(conn, story.id, "failed", status=status, due_at=now)
                await self.schedule(
                    conn, story.public_id, now, f"retry-{to_epoch(now)}", story.guild_id
                )
        if stories:
            log.info("%d failed story post(s) will be tried again", len(stories))
        return len(stories)

    async def give_up_lost_on_start(self) -> int:
        """Run at load: stories still waiting to go out a whole grace window after they were
        due (the bot was away longer, or Discord kept refusing), which the engine no longer
        tries, are marked failed instead of waiting for ever; the author is told kindly (if
        they asked for DMs), once, by a run of the engine."""
        now = self.clock.now()
        lost = await self.repo.waiting_since_before(now - POST_GRACE)
        given_up = 0
        for story in lost:
            async with self.store.transaction() as conn:
                if await self.repo.move(conn, story.id, story.status, status="failed"):
                    await self.schedule(conn, story.public_id, now, LOST_STEP, story.guild_id)
                    given_up += 1
        if given_up:
            log.info("%d story post(s) could not go out in time and were given up", given_up)
        return given_up

    async def tell_lost(self, public_id: str) -> tuple[Outcome, str | None]:
        story = await self.repo.get(public_id)
        if story is None or story.status != "failed":
            return "skipped", story.status if story else "deleted"
        server = self.publisher.guild_name(story.guild_id)
        told = await self.dm_author(story, msg.DM_LOST.format(server=server), what=LOST_STEP)
        return ("done", None) if told else ("skipped", "no_dm")

    async def deliver(
        self, public_id: str, *, retrying: bool = False
    ) -> tuple[Outcome, str | None]:
        """Post a scheduled story, or send a story awaiting review to the moderators. Raises
        RetryLater for a passing Discord error (the scheduler tries again, same nonce)."""
        story = await self.repo.get(public_id)
        if story is None:
            return "skipped", "deleted"
        settings = await self.repo.settings(story.guild_id)
        if story.status == "scheduled":
            return await self._publish(story, settings, retrying=retrying)
        if story.status == "pending" and story.queue_message_id is None:
            return await self._queue(story, settings, retrying=retrying)
        return "skipped", story.status

    async def _publish(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> tuple[Outcome, str | None]:
        if story.number is None:
            async with self.store.transaction() as conn:
                number = await self.repo.next_number(conn, story.guild_id, self.clock.now())
                await self.repo.update(conn, story.id, number=number)
            story = replace(story, number=number)
        result = await self.publisher.publish(story, settings, retrying=retrying)
        if isinstance(result, Failed):
            return await self._failed(story, settings, result, msg.POST_FAILED_NOTICE)
        now = self.clock.now()
        posted = replace(
            story,
            status="posted",
            posted_at=now,
            channel_id=result.channel_id,
            message_id=result.message_id,
            thread_id=result.thread_id,
        )
        async with self.store.transaction() as conn:
            moved = await self.repo.move(
                conn,
                story.id,
                "scheduled",
                status="posted",
                posted_at=now,
                channel_id=result.channel_id,
                message_id=result.message_id,
                thread_id=result.thread_id,
            )
            if moved:
                # With the post's record, never after it: other features (the story's thread)
                # run from this as jobs of their own, across crashes.
                await self.scheduler.events.emit(
                    conn, STORY_POSTED, story.public_id, posted_event(posted)
                )
        log.info("A story was posted")
        if story.queue_message_id is not None:
            await self.dm_author(
                posted,
                msg.DM_APPROVED.format(
                    server=self.publisher.guild_name(story.guild_id),
                    label=label(posted),
                    link=jump_url(posted) or "",
                ),
                what="approved",
            )
        return "done", None

    async def _queue(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> tuple[Outcome, str | None]:
        result = await self.publisher.send_to_queue(story, settings, retrying=retrying)
        if isinstance(result, Failed):
            return await self._failed(story, settings, result, msg.QUEUE_FAILED_NOTICE)
        async with self.store.transaction() as conn:
            await self.repo.update(
                conn,
                story.id,
                queue_channel_id=result.channel_id,
                queue_message_id=result.message_id,
            )
        log.info("A story was sent to the moderators' queue")
        return "done", None

    async def _failed(
        self,
        story: Story,
        settings: StorySettings,
        failure: Failed,
        notice: str,
    ) -> tuple[Outcome, str | None]:
        async with self.store.transaction() as conn:
            await self.repo.move(conn, story.id, story.status, status="failed")
        channel = settings.channel_id if story.status == "scheduled" else settings.mod_channel_id
        await self.publisher.notify_admins(
            story.guild_id,
            notice.format(
                server=self.publisher.guild_name(story.guild_id),
                channel=f"<#{channel}>" if channel else msg.NOT_SET,
            ),
            nonce=make_nonce(POST_JOB, story.public_id, "failed-notice"),
        )
        return "failed", failure.reason

    async def run_now(self, public_id: str, occurrence: str) -> None:
        """Deliver a story right away (an approval) through the scheduler's claim/run/record
        path: a passing error is retried by the scheduler like any scheduled run."""
        await self.scheduler.run_now(POST_JOB, public_id, occurrence)

    async def channel_unusable(self, guild_id: int, channel_id: int) -> None:
        """A member tried to share while the stories (or moderators') channel is gone or closed
        to the bot: tell the admins, once per channel until someone saves the settings."""
        if not await self.repo.mark_channel_broken(guild_id, channel_id):
            return
        log.warning("A member could not share: the stories channel is unusable")
        await self.publisher.notify_admins(
            guild_id,
            msg.CHANNEL_UNUSABLE_NOTICE.format(
                server=self.publisher.guild_name(guild_id), channel=f"<#{channel_id}>"
            ),
            nonce=make_nonce(POST_JOB, f"channel-{channel_id}", "unusable"),
        )
