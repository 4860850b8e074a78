"""The use cases of anonymous stories: share, deliver, moderate, delete.

Discord work (posting, the queue, DMs) goes through a `Publisher`; everything here is about
what is stored and when. A story is stored before the member is told it is coming, and posted
by the scheduler's due-work runner (kind `stories.post`, key = the story's opaque id), so a
restart between the two neither loses nor doubles it.

A story is scheduled only once the member's acknowledgement reached Discord (`submit` stores it
as a draft awaiting it, `confirm` schedules it): a member who saw "interaction failed" never
finds their story posted; their next /share offers it back instead.
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiosqlite

from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.db import Store
from bot.errors import UserFacingError
from bot.i18n import plural
from bot.scheduling import (
    DueRun,
    Occurrence,
    Outcome,
    Scheduler,
    from_epoch,
    make_nonce,
    to_epoch,
)
from bot.seams import STORY_DELETED
from bot.text import has_visible_content
from bot.ui import discord_timestamp
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.content import CrisisContent
from cogs.stories.render import jump_url, label
from cogs.stories.repository import (
    POST_JOB,
    STORY_POSTED,
    Story,
    StoryRepository,
    StorySettings,
)

log = logging.getLogger(__name__)

# A story is worth posting late: the scheduler records a run as missed only after this long.
POST_GRACE = timedelta(days=7)
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

    async def send_to_queue(self, story: Story, settings: StorySettings) -> Posted | Failed: ...

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
    """The scheduler's handle on a story: one due run posts it (or sends it for review)."""

    kind = POST_JOB

    def __init__(self, service: StoryService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, str(rule["step"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return POST_GRACE

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.service.deliver(run.key, retrying=run.attempt > 1)


class StoryService:
    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        scheduler: Scheduler,
        anonymizer: Anonymizer,
        crisis: CrisisContent,
        publisher: Publisher,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.repo = StoryRepository(store)
        self.clock = clock
        self.scheduler = scheduler
        self.anonymizer = anonymizer
        self.crisis = crisis
        self.publisher = publisher
        # Unpredictable delays: a seeded generator would let someone replay the timing.
        self.rng = rng or random.SystemRandom()
        self.job = DeliverJob(self)

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

    @staticmethod
    def needs_review(settings: StorySettings, *, crisis: bool) -> bool:
        """Approval for every story, or crisis stories held for a moderator."""
        held = crisis and settings.crisis_policy == "hold" and settings.mod_channel_id is not None
        return settings.holds_for_review or held

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
        await self.schedule(conn, story.public_id, due, "first")
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

    async def schedule(
        self, conn: aiosqlite.Connection, public_id: str, due: datetime, step: str
    ) -> None:
        rule = {"due": to_epoch(due), "step": step}
        await self.scheduler.put_job(
            conn, POST_JOB, public_id, rule, after=due - timedelta(seconds=1)
        )

    async def draft(self, public_id: str, guild_id: int, user_id: int) -> Story:
        story = await self._own_story(public_id, guild_id, user_id)
        if story.status != "draft":
            raise UserFacingError(msg.DRAFT_GONE)
        return story

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
                await self.schedule(conn, story.public_id, now, f"retry-{to_epoch(now)}")
        if stories:
            log.info("%d failed story post(s) will be tried again", len(stories))
        return len(stories)

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
            return await self._queue(story, settings)
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

    async def _queue(self, story: Story, settings: StorySettings) -> tuple[Outcome, str | None]:
        result = await self.publisher.send_to_queue(story, settings)
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

    # -- the author's own stories --------------------------------------------------------------

    async def mine(self, guild_id: int, user_id: int) -> list[Story]:
        return await self.repo.by_author(guild_id, self.author_of(guild_id, user_id), limit=10)

    async def own(self, public_id: str, guild_id: int, user_id: int) -> Story:
        return await self._own_story(public_id, guild_id, user_id)

    async def delete_own(self, public_id: str, guild_id: int, user_id: int) -> Story:
        """Delete the post (and its thread), the queue message, the job and the row."""
        story = await self._own_story(public_id, guild_id, user_id)
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
            await self.announce_gone(conn, story.id, public_id)
        log.info("A story was deleted by its writer")
        return story

    async def announce_gone(
        self, conn: aiosqlite.Connection, story_id: int, public_id: str
    ) -> None:
        """In the transaction that deletes (or removes) the story's row, never after it: other
        features drop what hangs off the story (encouragement's thread, kind words, me-toos) as
        jobs of their own, across crashes. Keyed by a token of its own, not the public id: the
        cleanup's run history, kept until the normal pruning, names no story (the event's row,
        pruned with it, holds the ids its subscribers need)."""
        data = {"story_id": story_id, "public_id": public_id}
        await self.scheduler.events.emit(conn, STORY_DELETED, secrets.token_hex(16), data)

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

    # -- settings ------------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> StorySettings:
        return await self.repo.settings(guild_id)

    async def save_settings(self, settings: StorySettings) -> None:
        await self.repo.save_settings(settings, self.clock.now())
