"""Kind words and OP replies posted in a story's thread: one submission, one post.

Each opened form (Encourage, /reply) carries a random token. The submission is recorded under
it before anything is sent (encouragement_sends), and the token is the post's nonce: a retry
after Discord stored the post but answered with an error posts nothing new, and a retry after
Discord's nonce window looks in the thread first. Encourage's limits (logic.throttle) are
checked in the transaction that records the submission, so a burst cannot walk through them.

Anonymity: posts go out with the paced sender to the thread (never as an interaction response,
which Discord marks with the user), mentions disabled; the member is stored only as a keyed
pseudonym, never logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from bot.deps import ServiceDeps, WithDeps
from bot.errors import UserFacingError
from bot.scheduling import RetryLater, to_epoch
from bot.sending import PermanentFailure
from bot.ui import discord_timestamp
from cogs.encouragement import logic
from cogs.encouragement import messages as m
from cogs.encouragement.repository import (
    DIGEST_JOB,
    EncouragementRepository,
    StoryThread,
    pseudonym_scope,
)
from cogs.encouragement.sends import Send, SendKind, SendsRepository, same_words
from cogs.encouragement.stories import StoriesData

log = logging.getLogger(__name__)


class MaybePosted(UserFacingError):
    """Discord did not confirm a post it may have stored: the member can retry `token`."""

    def __init__(self, token: str) -> None:
        super().__init__(m.MAYBE_POSTED)
        self.token = token


#: How long the text of a post Discord never confirmed is kept for a Try again.
UNCONFIRMED_KEPT = timedelta(days=1)


def send_nonce(token: str) -> str:
    """The nonce of one submission's post (Discord allows 25 characters)."""
    return f"enc{token}"[:25]


def post_text(send: Send) -> str:
    """What a submission posts in the thread."""
    if send.kind == "reply":
        return m.OP_REPLY_POST.format(text=send.words or "")
    return m.ENCOURAGEMENT_POST.format(
        signature=send.signature or "a member", text=send.words or ""
    )


def _link(story: StoryThread, message_id: int) -> str:
    return f"https://discord.com/channels/{story.guild_id}/{story.thread_id}/{message_id}"


def throttled_text(limited: logic.Throttled) -> str:
    when = m.THROTTLED_WHEN.format(
        time=discord_timestamp(limited.until, "t"), relative=discord_timestamp(limited.until, "R")
    )
    if limited.scope == "story":
        return m.THROTTLED_STORY.format(limit=logic.PER_STORY_LIMIT, when=when)
    return m.THROTTLED_OVERALL.format(limit=logic.PER_MEMBER_LIMIT, when=when)


class KindWords(WithDeps):
    def __init__(
        self, deps: ServiceDeps, repo: EncouragementRepository, stories: StoriesData
    ) -> None:
        super().__init__(deps)
        self.repo = repo
        self.stories = stories
        self.sends = SendsRepository()

    async def _story(self, public_id: str, guild_id: int) -> StoryThread:
        story = await self.repo.story_by_public_id(public_id)
        if story is None and await self.stories.is_posted_here(public_id, guild_id):
            # Posted a moment ago: its thread's job has not started yet.
            raise UserFacingError(m.THREAD_NOT_READY)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(m.STORY_GONE)
        return story

    async def _digest_on(self, story: StoryThread) -> bool:
        return not story.digest_muted and await self.stories.wants_digest(story.story_id)

    async def _thread_of(self, story: StoryThread) -> discord.Thread:
        if story.thread_id is None:
            raise UserFacingError(m.THREAD_NOT_READY)
        channel = self.client.get_channel(story.thread_id)
        if not isinstance(channel, discord.Thread):
            try:
                fetched = await self.client.fetch_channel(story.thread_id)
            except discord.NotFound:
                raise UserFacingError(self._gone(story)) from None
            except discord.HTTPException:
                raise UserFacingError(m.THREAD_UNREACHABLE) from None
            if not isinstance(fetched, discord.Thread):
                raise UserFacingError(self._gone(story))
            channel = fetched
        return channel

    def _gone(self, story: StoryThread) -> str:
        """Why a story's thread cannot be reached: in a forum the thread is the post (so the
        story is gone); in a text channel the post may still be up while its thread was removed."""
        in_forum = isinstance(self.client.get_channel(story.channel_id), discord.ForumChannel)
        return m.STORY_GONE if in_forum else m.THREAD_REMOVED

    async def _clean(self, text: str, guild_id: int, *, limit: int, what: str) -> str:
        """The member's words ready to post, or a refusal that gives them their text back."""
        try:
            return logic.clean_message(
                text,
                limit=limit,
                what=what,
                links_allowed=await self.stories.links_allowed(guild_id),
            )
        except logic.InvalidInput as exc:
            kept = text.strip()
            if not kept:
                raise UserFacingError(str(exc)) from None
            raise UserFacingError(
                m.GIVE_BACK.format(reason=str(exc), text=logic.copyable(kept[:limit]))
            ) from None

    async def encourage(
        self,
        public_id: str,
        guild_id: int,
        user_id: int,
        text: str,
        display_name: str | None,
        *,
        token: str,
        moderator: bool = False,
    ) -> str:
        """Post kind words in the story's thread, signed with `display_name` or "a member",
        once per submission (`token`, made when the form opened). Within the limits (checked
        and recorded in one transaction). Returns the link to the posted message."""
        words = await self._clean(
            text, guild_id, limit=logic.ENCOURAGEMENT_LIMIT, what="message of encouragement"
        )
        story = await self._story(public_id, guild_id)
        thread = await self._thread_of(story)
        signature = None if display_name is None else logic.signature(display_name)
        send = await self._record_submission(
            token, story, user_id, "encourage", signature, words, moderator=moderator
        )
        return await self._deliver(send, story, thread, look_first=send.token != token)

    async def reply_as_op(
        self, public_id: str, guild_id: int, user_id: int, text: str, *, token: str
    ) -> str:
        """Post the author's reply in their story's thread as "OP (anonymous)", once per
        submission. Returns the link to the posted message."""
        story = await self._story(public_id, guild_id)
        # Checked again on submit: the story may have been deleted meanwhile.
        if not await self.stories.is_author(story.story_id, guild_id, user_id):
            raise UserFacingError(m.REPLY_NOT_AUTHOR)
        words = await self._clean(text, guild_id, limit=logic.REPLY_LIMIT, what="reply")
        thread = await self._thread_of(story)
        send = await self._record_submission(token, story, user_id, "reply", None, words)
        return await self._deliver(send, story, thread, look_first=send.token != token)

    async def retry(self, token: str, guild_id: int, user_id: int) -> str:
        """Send again a submission Discord did not confirm, with its first nonce; when an
        earlier attempt is found in the thread, that one counts. Returns the post's link."""
        async with self.store.transaction() as conn:
            send = await self.sends.get(conn, token)
        if send is None or send.guild_id != guild_id:
            raise UserFacingError(m.RETRY_GONE)
        if send.pseudonym != self._pseudonym(guild_id, user_id):
            raise UserFacingError(m.SEND_NOT_YOURS)
        story = await self.repo.story(send.story_id)
        if story is None:
            raise UserFacingError(m.STORY_GONE)
        if send.message_id is not None:
            return _link(story, send.message_id)
        if send.words is None:  # unconfirmed for a day: its text is not kept any longer
            raise UserFacingError(m.RETRY_EXPIRED)
        thread = await self._thread_of(story)
        return await self._deliver(send, story, thread, look_first=True)

    def _pseudonym(self, guild_id: int, user_id: int) -> str:
        return self.anonymizer.pseudonym(pseudonym_scope(guild_id), user_id)

    async def _record_submission(
        self,
        token: str,
        story: StoryThread,
        user_id: int,
        kind: SendKind,
        signature: str | None,
        words: str,
        *,
        moderator: bool = False,
    ) -> Send:
        """The submission's row, written before anything is sent. A second delivery of the same
        submission finds the first row; a new Encourage is checked against the limits in the
        same transaction that records it, so submissions arriving at once cannot all pass."""
        pseudonym = self._pseudonym(story.guild_id, user_id)
        now = self.clock.now()
        same_as = same_words(kind, signature, words)
        async with self.store.transaction() as conn:
            existing = await self.sends.get(conn, token)
            if existing is not None:
                if existing.pseudonym != pseudonym or existing.story_id != story.story_id:
                    raise UserFacingError(m.SEND_NOT_YOURS)
                return existing
            # The same words again within the hour, from a new form: most likely a retry after
            # an answer that never came (a crash, a timeout). It is that submission again.
            earlier = await self.sends.same_words(
                conn, story.story_id, pseudonym, same_as, now - logic.THROTTLE_WINDOW
            )
            if earlier is not None and (earlier.message_id is not None or earlier.words):
                return earlier
            # Text waiting for a confirmation that never came is not kept beyond a day.
            await self.sends.forget_unconfirmed_words(conn, now - UNCONFIRMED_KEPT)
            if kind == "encourage":
                recent = await self.sends.recent_encouragements(
                    conn, story.guild_id, pseudonym, now - logic.THROTTLE_WINDOW
                )
                limited = logic.throttle(
                    now,
                    [at for story_id, at in recent if story_id == story.story_id],
                    [at for _, at in recent],
                    moderator=moderator,
                )
                if limited is not None:
                    raise UserFacingError(throttled_text(limited))
            send = Send(
                token=token,
                story_id=story.story_id,
                guild_id=story.guild_id,
                pseudonym=pseudonym,
                kind=kind,
                signature=signature,
                words=words,
                same_as=same_as,
                message_id=None,
                created_at=now,
            )
            await self.sends.add(conn, send)
        return send

    async def _deliver(
        self, send: Send, story: StoryThread, thread: discord.Thread, *, look_first: bool = False
    ) -> str:
        """Post a recorded submission with its own nonce, and record what Discord stored."""
        if send.message_id is not None:
            return _link(story, send.message_id)
        content = post_text(send)
        found = await self._earlier_post(thread, content) if look_first else None
        if found is None:
            try:
                sent = await self.sender.send(
                    thread.id,
                    nonce=send_nonce(send.token),
                    guild_id=story.guild_id,
                    content=content,
                )
            except PermanentFailure as failure:
                async with self.store.transaction() as conn:
                    await self.sends.drop(conn, send.token)
                log.warning("Could not post in a story thread (%s)", failure.reason)
                gone = failure.reason == "unknown_channel"
                raise UserFacingError(self._gone(story) if gone else m.THREAD_UNREACHABLE) from None
            except RetryLater:
                # Discord may have stored it (a 5xx after the store): only the same nonce may
                # try again, so the member gets a Try again that carries this submission.
                log.info("A post in a story thread was not confirmed; the member may retry")
                raise MaybePosted(send.token) from None
            found = sent.id
        await self._confirmed(send, story, found)
        return _link(story, found)

    async def _earlier_post(self, thread: discord.Thread, content: str) -> int | None:
        """An earlier attempt of this submission that Discord stored (a retry after its nonce
        window would not find it by nonce): our own message with the same text, lately."""
        me = self.client.user
        try:
            async for message in thread.history(limit=50):
                if me is not None and message.author.id == me.id and message.content == content:
                    return message.id
        except discord.HTTPException as exc:
            log.info("Could not read a story thread's recent posts (HTTP %s)", exc.status)
        return None

    async def _confirmed(self, send: Send, story: StoryThread, message_id: int) -> None:
        """Discord stored the post: record it once (with the digest it may bring)."""
        now = self.clock.now()
        wants_digest = send.kind == "encourage" and await self._digest_on(story)
        pending = (
            await self.scheduler.next_run(DIGEST_JOB, str(story.story_id)) if wants_digest else None
        )
        async with self.store.transaction() as conn:
            if not await self.sends.confirm(conn, send.token, message_id):
                return  # the same submission, delivered twice: recorded by the first
            if send.kind != "encourage":
                return
            await self.repo.add_encouragement(
                conn,
                story_id=story.story_id,
                guild_id=story.guild_id,
                pseudonym=send.pseudonym,
                signature=send.signature,
                body=send.words if wants_digest else None,
                message_id=message_id,
                now=now,
            )
            if wants_digest and pending is None:
                due = logic.digest_due_at(now, story.digest_sent_at)
                await self.scheduler.put_job(
                    conn, DIGEST_JOB, str(story.story_id), {"at": to_epoch(due)}
                )
