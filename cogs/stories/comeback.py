"""The comeback: a story's author tells how it went on (an update), and the people who cared
hear of it.

Who may add an update is checked exactly as /reply checks OP: the member's keyed pseudonym
must be the story's. An update is stored with its job (`stories.update`, key = the update's
opaque id) in one transaction, and the engine posts it (cogs/stories/comeback_jobs.py): a
restart between the two neither loses nor doubles it. With approval (or a crisis word held for
a moderator) the job sends it to the moderators' queue first, as a story's.
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
from bot.scheduling import to_epoch
from cogs.stories import comeback_logic as cb
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.comeback_posting import UpdatePublisher
from cogs.stories.records import Story, StorySettings
from cogs.stories.service import StoryService
from cogs.stories.update_rows import UPDATE_JOB, Update

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class UpdateForm:
    """What the member typed in the update's form."""

    body: str
    kind: str
    card: bool


@dataclass(frozen=True, slots=True)
class UpdateSubmitted:
    update: Update
    settings: StorySettings
    nudges: tuple[str, ...] = ()  # non-empty: kept as a draft, nothing scheduled
    review: bool = False
    card: bool = False  # a card will go to the stories channel


class Comebacks:
    """The member's and the moderators' use cases of a story's updates."""

    def __init__(self, stories: StoryService, publisher: UpdatePublisher) -> None:
        self.stories = stories
        self.publisher = publisher
        self.repo = stories.repo
        self.store = stories.store
        self.clock = stories.clock
        self.scheduler = stories.scheduler
        self.anonymizer = stories.anonymizer

    # -- who ------------------------------------------------------------------------------------

    def follower_of(self, guild_id: int, user_id: int) -> str:
        return self.anonymizer.pseudonym(f"story-follow:{guild_id}", user_id)

    @staticmethod
    def follow_context(story: Story) -> str:
        return f"story-follow:{story.guild_id}:{story.public_id}"

    def _is_author(self, author: str, guild_id: int, user_id: int) -> bool:
        return secrets.compare_digest(author, self.stories.author_of(guild_id, user_id))

    async def story_in_thread(self, channel_id: int, guild_id: int, user_id: int) -> Story:
        """The story whose thread this is, if the member wrote it; else a kind refusal."""
        story = await self.repo.story_by_thread(guild_id, channel_id)
        if story is None:
            raise UserFacingError(msg.CB_OUTSIDE_THREAD)
        if not self._is_author(story.author, guild_id, user_id):
            raise UserFacingError(msg.CB_NOT_AUTHOR)
        return story

    async def own_story(self, public_id: str, guild_id: int, user_id: int) -> Story:
        """The member's own posted story (a forged id is refused as a stranger is)."""
        story = await self.repo.get(public_id)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(msg.STORY_GONE)
        if not self._is_author(story.author, guild_id, user_id):
            raise UserFacingError(msg.CB_NOT_AUTHOR)
        if story.status != "posted":
            raise UserFacingError(msg.CB_NOT_POSTED)
        return story

    async def own_update(self, public_id: str, guild_id: int, user_id: int) -> Update:
        update = await self.repo.update_by_id(public_id)
        if update is None or update.guild_id != guild_id:
            raise UserFacingError(msg.CB_GONE)
        if not self._is_author(update.author, guild_id, user_id):
            raise UserFacingError(msg.CB_NOT_AUTHOR)
        return update

    async def update(self, public_id: str, guild_id: int) -> Update:
        update = await self.repo.update_by_id(public_id)
        if update is None or update.guild_id != guild_id:
            raise UserFacingError(msg.CB_GONE)
        return update

    async def updates_of(self, story: Story) -> list[Update]:
        return await self.repo.updates_of(story.id)

    # -- sharing and editing --------------------------------------------------------------------

    async def submit(
        self,
        guild_id: int,
        user_id: int,
        form: UpdateForm,
        *,
        story_id: str | None = None,
        update_id: str | None = None,
        confirmed: bool = False,
        submission_key: str | None = None,
    ) -> UpdateSubmitted:
        """A new update to the member's story (`story_id`) or an edit of theirs (`update_id`).
        Bad input changes nothing; identifying details keep it as a draft until the member
        says "post anyway"; otherwise it is stored with its job in one transaction."""
        body = cb.cleaned(form.body)
        problem = cb.refusal(body)
        if problem == cb.EMPTY:
            raise UserFacingError(msg.CB_EMPTY)
        if problem == cb.TOO_SHORT:
            raise UserFacingError(msg.CB_TOO_SHORT.format(letters=cb.UPDATE_MIN_LETTERS))
        if problem == cb.TOO_LONG:
            raise UserFacingError(msg.CB_TOO_LONG.format(limit=cb.UPDATE_MAX_CHARS))
        existing = None
        if update_id is not None:
            existing = await self.own_update(update_id, guild_id, user_id)
            if existing.status == "removed":  # a moderator's decision stays
                raise UserFacingError(msg.CB_REMOVED_NO_EDIT)
            story = await self.repo.story_by_id(existing.story_id)
            if story is None or story.status != "posted":
                raise UserFacingError(msg.CB_NOT_POSTED)
        else:
            assert story_id is not None
            story = await self.own_story(story_id, guild_id, user_id)
        settings = await self.repo.settings(guild_id)
        author = story.author
        nudges = () if confirmed else cb.nudges(body)
        crisis = logic.crisis_match(body, self.stories.crisis_phrases(settings))
        review = self.stories.needs_review(settings, crisis=crisis)
        key = _digest(author, submission_key) if submission_key else None
        if key is not None and await self.repo.update_by_key(guild_id, key):
            raise UserFacingError(msg.ALREADY_RECEIVED)  # the same form, delivered again
        if existing is not None and existing.status != "draft":
            await self.stories.take_down_update(existing)  # the edit is posted anew
        now = self.clock.now()
        values: dict[str, Any] = {
            "body": body,
            "kind": cb.kind_of(form.kind),
            "card": int(form.card),
            "crisis": int(crisis),
            "status": "draft" if nudges else ("pending" if review else "scheduled"),
            "submitted_at": None if nudges else now,
            "thread_id": None,
            "message_id": None,
            "card_channel_id": None,
            "card_message_id": None,
            "queue_channel_id": None,
            "queue_message_id": None,
        }
        if key is not None:
            values["submission_key"] = key
        due = now + logic.posting_delay(self.stories.rng, settings.max_delay_seconds)
        async with self.store.transaction() as conn:
            await self.repo.delete_stale_update_drafts_in(conn, now - DRAFT_LIFETIME)
            if await self.repo.is_blocked_in(conn, guild_id, author):
                raise UserFacingError(msg.BLOCKED)
            if key is not None and await self.repo.update_by_key_in(conn, guild_id, key):
                raise UserFacingError(msg.ALREADY_RECEIVED)  # the same form, delivered again
            if existing is not None:
                public_id = existing.public_id
                await self.repo.change_update(conn, existing.id, **values)
            else:
                public_id = secrets.token_urlsafe(12)
                await self.repo.create_update(
                    conn,
                    public_id=public_id,
                    story_id=story.id,
                    guild_id=guild_id,
                    author=author,
                    created_at=now,
                    **values,
                )
            if not nudges:
                await self._schedule(conn, public_id, due, f"sent-{to_epoch(now)}", guild_id)
            update = await self.repo.update_in(conn, public_id)
        assert update is not None
        if not nudges:
            log.info("A story's update was submitted (%s)", "for review" if review else "to post")
        card = form.card and self.publisher.card_channel(story) is not None
        return UpdateSubmitted(update, settings, nudges, review, card)

    async def post_anyway(self, public_id: str, guild_id: int, user_id: int) -> UpdateSubmitted:
        """The member saw the nudge and posts the draft as it is."""
        update = await self.own_update(public_id, guild_id, user_id)
        if update.status != "draft":
            raise UserFacingError(msg.ALREADY_RECEIVED)
        form = UpdateForm(update.body, update.kind, update.card)
        return await self.submit(guild_id, user_id, form, update_id=public_id, confirmed=True)

    async def _schedule(
        self, conn: aiosqlite.Connection, public_id: str, due: datetime, step: str, guild_id: int
    ) -> None:
        """The update's post as a job of its server (a fleet's process of its shard takes it)."""
        rule = {"due": to_epoch(due), "step": step}
        await self.scheduler.put_job(
            conn, UPDATE_JOB, public_id, rule, after=due - timedelta(seconds=1), guild_id=guild_id
        )

    async def delete_own(self, public_id: str, guild_id: int, user_id: int) -> Update:
        """The author deletes an update (or discards a draft): its messages, its job, its row."""
        update = await self.own_update(public_id, guild_id, user_id)
        await self.stories.take_down_update(update)
        async with self.store.transaction() as conn:
            await self.scheduler.remove_job(conn, UPDATE_JOB, public_id)
            await self.repo.delete_update(conn, update)
        log.info("A story's update was deleted by its writer")
        return update

    # -- following ------------------------------------------------------------------------------

    async def toggle_follow(
        self, public_id: str, guild_id: int, user_id: int
    ) -> tuple[Story, bool | None]:
        """Follow the story (its updates come by DM) or stop: the story and whether the member
        follows it now (None: it is their own story, nothing is stored)."""
        story = await self.repo.get(public_id)
        if story is None or story.guild_id != guild_id or story.status != "posted":
            raise UserFacingError(msg.STORY_GONE)
        if self._is_author(story.author, guild_id, user_id):
            return story, None
        follower = self.follower_of(guild_id, user_id)
        sealed = self.anonymizer.seal(str(user_id).encode(), context=self.follow_context(story))
        async with self.store.transaction() as conn:
            if await self.repo.is_following_in(conn, story.id, follower):
                await self.repo.unfollow_in(conn, story.id, follower)
                return story, False
            await self.repo.follow_in(conn, story.id, guild_id, follower, sealed, self.clock.now())
        return story, True


def _digest(author: str, submission_key: str) -> str:
    return hashlib.sha256(f"update:{author}:{submission_key}".encode()).hexdigest()[:32]
