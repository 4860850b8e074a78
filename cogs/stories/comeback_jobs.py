"""The engine's side of the comeback: an update's post (or its trip to the moderators' queue)
and one DM per follower, each a job claimed once per occurrence across restarts.

`stories.update` (key: the update's opaque id) posts the update in the story's thread with the
run's nonce, then its card; the record of the post and one `stories.update_dm` job per follower
(key: "<update id>.<follower row>", never a member id) are written in one transaction. A crash
between the post and its record re-sends with the same nonce: Discord returns the first message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.scheduling import DueRun, Occurrence, Outcome, from_epoch, to_epoch
from bot.sending import PermanentFailure
from cogs.stories.comeback import Comebacks
from cogs.stories.comeback_posting import follower_dm_text, thread_of
from cogs.stories.records import Story, StorySettings
from cogs.stories.update_rows import FOLLOWER_DM_JOB, UPDATE_JOB, Update

log = logging.getLogger(__name__)

GRACE = timedelta(days=7)


class _OneShot:
    """A job that runs once, at rule["due"] (its occurrence: rule["step"])."""

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, str(rule["step"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return GRACE


class UpdateJob(_OneShot):
    kind = UPDATE_JOB

    def __init__(self, comebacks: Comebacks) -> None:
        self.comebacks = comebacks

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await deliver(self.comebacks, run)


class FollowerDmJob(_OneShot):
    kind = FOLLOWER_DM_JOB

    def __init__(self, comebacks: Comebacks) -> None:
        self.comebacks = comebacks

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await tell_follower(self.comebacks, run)


async def deliver(c: Comebacks, run: DueRun) -> tuple[Outcome, str | None]:
    """Post a scheduled update, or send one awaiting review to the moderators. Raises
    RetryLater for a passing Discord error (the scheduler tries again, same nonce)."""
    update = await c.repo.update_by_id(run.key)
    if update is None:
        return "skipped", "deleted"
    story = await c.repo.story_by_id(update.story_id)
    if story is None or story.status != "posted" or thread_of(story) is None:
        return "skipped", "story not up"
    settings = await c.repo.settings(update.guild_id)
    if update.status == "pending" and update.queue_message_id is None:
        return await _queue(c, story, update, settings, run)
    if update.status != "scheduled":
        return "skipped", update.status
    try:
        message_id = await c.publisher.post_update(story, update, settings, nonce=run.nonce)
    except PermanentFailure as failure:
        async with c.store.transaction() as conn:
            await c.repo.change_update(conn, update.id, "scheduled", status="failed")
        log.warning("An update could not be posted in its story's thread (%s)", failure.reason)
        return "failed", failure.reason
    card = None
    if update.card:
        card = await c.publisher.post_card(story, update, nonce=run.nonce_for("card"))
    now = c.clock.now()
    async with c.store.transaction() as conn:
        moved = await c.repo.change_update(
            conn,
            update.id,
            "scheduled",
            status="posted",
            # When it was first shared (an edit is posted anew): the roundup's week.
            posted_at=update.posted_at or now,
            thread_id=thread_of(story),
            message_id=message_id,
            card_channel_id=card[0] if card else None,
            card_message_id=card[1] if card else None,
        )
        if moved and not update.followers_told:
            # With the post's record, never after it: one DM per follower, each a job.
            rule = {"due": to_epoch(now), "step": "told"}
            for follower_id in await c.repo.follower_ids_in(conn, story.id):
                await c.scheduler.put_job(
                    conn,
                    FOLLOWER_DM_JOB,
                    f"{update.public_id}.{follower_id}",
                    rule,
                    after=now - timedelta(seconds=1),
                )
            await c.repo.change_update(conn, update.id, followers_told=1)
    log.info("A story's update was posted")
    return "done", None


async def _queue(
    c: Comebacks, story: Story, update: Update, settings: StorySettings, run: DueRun
) -> tuple[Outcome, str | None]:
    sent = await c.publisher.send_to_queue(story, update, settings, nonce=run.nonce_for("queue"))
    if sent is None:
        async with c.store.transaction() as conn:
            await c.repo.change_update(conn, update.id, "pending", status="failed")
        return "failed", "mod channel unavailable"
    async with c.store.transaction() as conn:
        await c.repo.change_update(
            conn, update.id, queue_channel_id=sent[0], queue_message_id=sent[1]
        )
    log.info("A story's update was sent to the moderators' queue")
    return "done", None


async def tell_follower(c: Comebacks, run: DueRun) -> tuple[Outcome, str | None]:
    """One follower's DM about one update, with the run's nonce (sent once)."""
    update_id, _, follower_id = run.key.rpartition(".")
    update = await c.repo.update_by_id(update_id)
    if update is None or update.status != "posted":
        return "skipped", "update not up"
    follower = await c.repo.follower(int(follower_id))
    story = await c.repo.story_by_id(update.story_id)
    if follower is None or story is None or follower[0] != story.id:
        return "skipped", "not following"
    plain = c.anonymizer.unseal(follower[1], context=c.follow_context(story))
    if plain is None:
        log.warning("A sealed follower token did not open (wrong key or tampered)")
        return "skipped", "sealed id unreadable"
    text = follower_dm_text(story, update, c.publisher.guild_name(story.guild_id))
    if not await c.publisher.dm(int(plain.decode()), text, nonce=run.nonce):
        return "skipped", "DMs closed"
    return "done", None
