"""The scheduler's view of encouragement: author digests and weekly roundups are due work of the
one scheduler (claimed once per occurrence, across restarts), run by the service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.scheduling import DueRun, Occurrence, Outcome, from_epoch
from bot.scheduling.events import Event
from bot.seams import STORY_DELETED, STORY_POSTED
from cogs.encouragement import logic
from cogs.encouragement.repository import (
    DIGEST_JOB,
    ROUNDUP_JOB,
    STORY_GONE_JOB,
    STORY_THREAD_JOB,
)
from cogs.encouragement.service import EncouragementService


class StoryThreadJob:
    """A subscriber of the stories feature's durable "posted" event: opens the story's thread,
    as a job of its own (one per story), once. Resumable: a run a crash interrupted is run
    again at any age, because a thread on a message cannot be made twice (160004)."""

    kind = STORY_THREAD_JOB
    event = STORY_POSTED
    resumable = True
    # Kind words wait for the thread: worth opening late after a long outage.
    grace = timedelta(days=7)

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    async def handle(self, event: Event, run: DueRun) -> tuple[Outcome, str | None]:
        data = event.data
        forum_post = data.get("forum_post_id")
        return await self.service.open_thread(
            story_id=int(data["story_id"]),
            public_id=event.key,
            guild_id=int(data["guild_id"]),
            channel_id=int(data["channel_id"]),
            message_id=int(data["message_id"]),
            forum_post_id=int(forum_post) if forum_post is not None else None,
            label=self.service.stories.label(int(data["number"])),
            stage=self.service.stories.stage_label(str(data.get("stage"))),
        )


class StoryGoneJob:
    """A subscriber of the stories feature's durable "deleted" event: the story's thread, its
    thread record, kind words and me-toos go, as a job of its own, once (a crash before the
    run leaves the job due; the next start runs it). Resumable: run again it finishes what a
    crash interrupted."""

    kind = STORY_GONE_JOB
    event = STORY_DELETED
    resumable = True
    # Nothing of a deleted story may stay behind: a late run (after an outage) still cleans up.
    grace = timedelta(days=7)

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    async def handle(self, event: Event, run: DueRun) -> tuple[Outcome, str | None]:
        data = event.data
        await self.service.story_removed(int(data["story_id"]), str(data["public_id"]))
        return "done", None


class DigestJob:
    """One pending digest per story: rule {"at": epoch}; it ends after running."""

    kind = DIGEST_JOB

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["at"]))
        return Occurrence(due, logic.digest_label(due)) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        # A digest is still welcome after a long outage; it only gathers what is new.
        return timedelta(days=7)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.service.send_digest(int(run.key), run.nonce)


class RoundupJob:
    """Every Monday morning per server: rule {"zone": IANA name}; occurrence = the ISO week."""

    kind = ROUNDUP_JOB

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        occurrence = logic.next_roundup(after, str(rule.get("zone") or "UTC"))
        return Occurrence(occurrence.due_at, occurrence.week)

    def guild_of(self, key: str, rule: Mapping[str, Any]) -> int:
        """The server the roundup goes to (a fleet's process of its shard claims it first)."""
        return int(key)

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        # Still worth posting on Monday evening; a roundup on Thursday would be stale.
        return timedelta(hours=12)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.service.post_roundup(
            int(run.key),
            run.occurrence,
            str(run.rule.get("zone") or "UTC"),
            run.nonce,
            retrying=run.attempt > 1,
        )
