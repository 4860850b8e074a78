"""The stories feature's records: settings, a story, a report, and how a row becomes one."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.scheduling import from_epoch, keep_nonces_of

# The durable event (bot.scheduling.events) recorded with a story's post: key = the story's
# public id, data = delivery.posted_event(). Other features subscribe (encouragement opens its
# thread).
from bot.seams import STORY_POSTED as STORY_POSTED
from cogs.stories.logic import Limits

POST_JOB = "stories.post"
# Named "story_post" before migration 0016: a post in flight across the upgrade keeps its nonce.
keep_nonces_of("story_post", POST_JOB)
# Statuses that count towards a member's cooldown and daily quota (and so does a draft whose
# acknowledgement is on its way: ack_state 'awaiting').
SUBMITTED = ("scheduled", "pending", "posted", "rejected", "removed", "failed")


@dataclass(frozen=True, slots=True)
class StorySettings:
    guild_id: int
    channel_id: int | None = None
    mod_channel_id: int | None = None
    approval: bool = False
    links_allowed: bool = False
    max_delay_seconds: int = 90
    cooldown_minutes: int = 30
    daily_limit: int = 3
    crisis_policy: str = "post"
    crisis_words: tuple[str, ...] = ()
    crisis_note: str | None = None

    @property
    def limits(self) -> Limits:
        return Limits(cooldown=timedelta(minutes=self.cooldown_minutes), daily=self.daily_limit)

    @property
    def holds_for_review(self) -> bool:
        return self.approval and self.mod_channel_id is not None


_SETTING_COLUMNS = tuple(f.name for f in fields(StorySettings) if f.name != "guild_id")


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    public_id: str
    guild_id: int
    author: str
    sealed_author: str | None
    status: str
    body: str
    stage: str
    takeaway: str | None
    help: str | None
    watch_terms: str | None
    crisis: bool
    number: int | None
    created_at: datetime
    submitted_at: datetime | None
    due_at: datetime | None
    posted_at: datetime | None
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    queue_channel_id: int | None
    queue_message_id: int | None
    decision_note: str | None
    # A draft's acknowledgement: "awaiting" (on its way), "unconfirmed" (never reached them).
    ack_state: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    story_id: int
    reason: str | None
    status: str
    queue_channel_id: int | None
    queue_message_id: int | None


def _maybe_time(value: int | None) -> datetime | None:
    return from_epoch(value) if value is not None else None


def _story(row: aiosqlite.Row) -> Story:
    return Story(
        id=row["id"],
        public_id=row["public_id"],
        guild_id=row["guild_id"],
        author=row["author"],
        sealed_author=row["sealed_author"],
        status=row["status"],
        body=row["body"],
        stage=row["stage"],
        takeaway=row["takeaway"],
        help=row["help"],
        watch_terms=row["watch_terms"],
        crisis=bool(row["crisis"]),
        number=row["number"],
        created_at=from_epoch(row["created_at"]),
        submitted_at=_maybe_time(row["submitted_at"]),
        due_at=_maybe_time(row["due_at"]),
        posted_at=_maybe_time(row["posted_at"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        decision_note=row["decision_note"],
        ack_state=row["ack_state"],
    )


def _settings(row: aiosqlite.Row) -> StorySettings:
    return StorySettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        mod_channel_id=row["mod_channel_id"],
        approval=bool(row["approval"]),
        links_allowed=bool(row["links_allowed"]),
        max_delay_seconds=row["max_delay_seconds"],
        cooldown_minutes=row["cooldown_minutes"],
        daily_limit=row["daily_limit"],
        crisis_policy=row["crisis_policy"],
        crisis_words=tuple(json.loads(row["crisis_words"])),
        crisis_note=row["crisis_note"],
    )


def with_settings(settings: StorySettings, **changes: Any) -> StorySettings:
    return replace(settings, **changes)
