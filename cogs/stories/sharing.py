"""Sharing a story: the limits, the submission (or a draft to edit) and its confirmation.

A story is scheduled only once the member's acknowledgement reached Discord (`submit` stores it
as a draft awaiting it, `confirm` schedules it): a member who saw "interaction failed" never
finds their story posted; their next /share offers it back instead.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.errors import UserFacingError
from bot.i18n import plural
from bot.text import has_visible_content
from bot.ui import discord_timestamp
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.base import StoryServiceBase
from cogs.stories.repository import Story, StorySettings

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(days=1)
# Discord takes an acknowledgement within 3 seconds; a story still awaiting its confirmation
# after this long never got one through (the bot stopped in between).
ACK_WINDOW = timedelta(seconds=60)


def _digest(author: str, submission_key: str) -> str:
    """What is stored of a form's id (with its author's pseudonym, so that two members' forms
    never collide): enough to recognise it again, nothing more."""
    return hashlib.sha256(f"{author}:{submission_key}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Draft:
    """What the member typed in the modal."""

    body: str
    stage: str
    takeaway: str | None = None
    help: str | None = None
    watch: str | None = None  # company names to keep out; never posted

    @classmethod
    def of(cls, story: Story) -> Draft:
        return cls(story.body, story.stage, story.takeaway, story.help, story.watch_terms)


@dataclass(frozen=True, slots=True)
class Submitted:
    story: Story
    settings: StorySettings
    nudges: tuple[str, ...] = ()  # non-empty: saved as a draft, nothing scheduled
    notes: tuple[str, ...] = ()  # what sanitising changed: invites, links, mentions, trimmed
    review: bool = False

    @property
    def is_draft(self) -> bool:
        return bool(self.nudges)


class Sharing(StoryServiceBase):
    # -- sharing -------------------------------------------------------------------------------

    async def sharing_settings(self, guild_id: int) -> StorySettings:
        """The server's settings, or a kind refusal if stories are not set up."""
        settings = await self.repo.settings(guild_id)
        if settings.channel_id is None:
            raise UserFacingError(msg.NOT_SET_UP)
        return settings

    async def check_can_share(self, guild_id: int, user_id: int) -> StorySettings:
        """The server's settings, or a kind refusal: not set up, blocked, cooldown, quota. (The
        check that counts is the one in the transaction that stores a story: see submit.)"""
        settings = await self.sharing_settings(guild_id)
        author = self.author_of(guild_id, user_id)
        await self.store.run(self._check_limits_in, guild_id, author, settings, self.clock.now())
        return settings

    async def _check_limits_in(
        self, conn: aiosqlite.Connection, guild_id: int, author: str, settings: StorySettings,
        now: datetime,
    ) -> None:  # fmt: skip
        await self.repo.expire_awaiting_in(conn, guild_id, author, now - ACK_WINDOW)
        await self._refuse_over_limits_in(conn, guild_id, author, settings, now)

    async def _refuse_over_limits_in(
        self, conn: aiosqlite.Connection, guild_id: int, author: str, settings: StorySettings,
        now: datetime,
    ) -> None:  # fmt: skip
        """Blocked, cooldown or daily limit, read in the caller's transaction; each limit's
        answer says when the member can share again."""
        if await self.repo.is_blocked_in(conn, guild_id, author):
            raise UserFacingError(msg.BLOCKED)
        times = await self.repo.submission_times_in(conn, guild_id, author, now - timedelta(days=1))
        refusal = logic.quota_refusal(now, times, settings.limits)
        if refusal is None:
            return
        when = discord_timestamp(refusal.retry_at, "R")
        if refusal.reason == "cooldown":
            raise UserFacingError(msg.COOLDOWN.format(when=when))
        limit = plural(settings.daily_limit, msg.DAILY_LIMIT_ONE, msg.DAILY_LIMIT_MANY)
        raise UserFacingError(limit.format(when=when))

    def crisis_phrases(self, settings: StorySettings) -> tuple[str, ...]:
        return (*self.crisis.phrases, *settings.crisis_words)

    def crisis_text(self, settings: StorySettings) -> str:
        note = f"{msg.CRISIS_NOTE_LABEL} {settings.crisis_note}" if settings.crisis_note else None
        return self.crisis.text(note)

    async def submit(
        self,
        guild_id: int,
        user_id: int,
        draft: Draft,
        *,
        draft_id: str | None = None,
        confirmed: bool = False,
        submission_key: str | None = None,
    ) -> Submitted:
        """Store the story, or keep it as a draft when it could identify the author and they
        have not said "post anyway" yet, or when it has too few words of its own to post.

        A story to post is stored as a draft *awaiting* its acknowledgement: `confirm` schedules
        it once the member's "thank you" reached Discord, `unconfirm` keeps it for the member to
        decide when it did not. The limits are checked in the same transaction that stores it,
        so forms submitted at once cannot walk through them; `submission_key` (the form's id)
        makes a second delivery of the same form find the first story instead of a new one."""
        settings = await self.sharing_settings(guild_id)
        author = self.author_of(guild_id, user_id)
        body = draft.body.strip()
        if not has_visible_content(body):  # blank, or only invisible characters
            raise UserFacingError(msg.EMPTY_STORY)
        too_long = len(body) > logic.STORY_MAX_CHARS
        shortened = confirmed and too_long
        if shortened:
            body = logic.trim(body, logic.STORY_MAX_CHARS)[0]
        full_text = f"{body}\n{draft.takeaway or ''}"
        nudges: tuple[str, ...] = ()
        if logic.own_letters(body) < logic.STORY_MIN_LETTERS:
            nudges = (logic.TOO_SHORT,)  # nothing to post: kept for the member to edit
        elif not confirmed:
            nudges = ((logic.TOO_LONG,) if too_long else ()) + logic.identifying_details(
                full_text, logic.parse_watch_terms(draft.watch)
            )
        crisis = logic.crisis_match(full_text, self.crisis_phrases(settings))
        review = self.needs_review(settings, crisis=crisis)
        now = self.clock.now()
        values: dict[str, Any] = {
            "body": body,
            "stage": draft.stage,
            "takeaway": draft.takeaway or None,
            "help": draft.help or None,
            "crisis": int(crisis),
            "submission_key": _digest(author, submission_key) if submission_key else None,
            "status": "draft",
        }
        if nudges:
            values.update(watch_terms=draft.watch or None, ack_state=None)
        else:
            due = now + logic.posting_delay(self.rng, settings.max_delay_seconds)
            values.update(watch_terms=None, submitted_at=now, due_at=due, ack_state="awaiting")
        # One transaction, run whole on SQLite's thread (Store.run): one round trip.
        story = await self.store.run(
            self._store_submission, guild_id, author, draft_id, values, now, settings
        )
        if not nudges:
            log.info("A story was submitted (%s)", "for review" if review else "to post")
        notes = self._notes(story, settings)
        if shortened and "trimmed" not in notes:
            notes = (*notes, "trimmed")
        return Submitted(story, settings, nudges, notes, review)

    async def _store_submission(
        self,
        conn: aiosqlite.Connection,
        guild_id: int,
        author: str,
        draft_id: str | None,
        values: dict[str, Any],
        now: datetime,
        settings: StorySettings,
    ) -> Story:
        await self.repo.delete_stale_drafts_in(conn, now - DRAFT_LIFETIME)
        key = values["submission_key"]
        if key is not None and await self.repo.by_submission_key_in(conn, guild_id, key):
            raise UserFacingError(msg.ALREADY_RECEIVED)  # the same form, delivered again
        await self.repo.expire_awaiting_in(conn, guild_id, author, now - ACK_WINDOW)
        existing = None
        if draft_id is not None:
            existing = await self.repo.get_in(conn, draft_id)
            if (
                existing is None
                or existing.status != "draft"
                or existing.guild_id != guild_id
                or not secrets.compare_digest(existing.author, author)
            ):
                raise UserFacingError(msg.DRAFT_GONE)
            if existing.ack_state == "awaiting":  # a second press while the first is answered
                raise UserFacingError(msg.ALREADY_RECEIVED)
        await self._refuse_over_limits_in(conn, guild_id, author, settings, now)
        if existing is not None:
            public_id = existing.public_id
            await self.repo.update(conn, existing.id, **values)
        else:
            public_id = secrets.token_urlsafe(12)
            await self.repo.create(
                conn,
                public_id=public_id,
                guild_id=guild_id,
                author=author,
                created_at=now,
                **values,
            )
        story = await self.repo.get_in(conn, public_id)
        assert story is not None
        return story

    async def confirm(self, story: Story, settings: StorySettings) -> bool:
        """The member's acknowledgement reached Discord: the story goes out (scheduled, or to
        the moderators). False if it was no longer awaiting (nothing is scheduled twice)."""
        status = "pending" if self.needs_review(settings, crisis=story.crisis) else "scheduled"
        due = story.due_at or self.clock.now()
        return await self.store.run(self._confirm_in, story, status, due)

    async def _confirm_in(
        self, conn: aiosqlite.Connection, story: Story, status: str, due: datetime
    ) -> bool:
        if not await self.repo.confirm_in(conn, story.id, status):
            return False
        await self.schedule(conn, story.public_id, due, "first", story.guild_id)
        return True

    def _notes(self, story: Story, settings: StorySettings) -> tuple[str, ...]:
        shown = logic.sanitise(
            f"{story.body}\n{story.takeaway or ''}",
            limit=logic.STORY_POST_LIMIT + logic.TAKEAWAY_POST_LIMIT,
            links_allowed=settings.links_allowed,
        )
        body = logic.sanitise(
            story.body, limit=logic.STORY_POST_LIMIT, links_allowed=settings.links_allowed
        )
        notes = []
        if shown.invites_removed:
            notes.append("invites")
        if shown.links_removed:
            notes.append("links")
        if shown.mentions_neutralised:
            notes.append("mentions")
        if body.trimmed:
            notes.append("trimmed")
        return tuple(notes)
