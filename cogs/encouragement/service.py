"""The use cases of peer encouragement: a thread for each posted story, kind words, me-toos,
OP replies, the author's digest and the weekly roundup.

Anonymity rules kept here: everything the bot posts goes out with `channel.send`/`thread.send`
(never as an interaction response or followup, which Discord marks with the user), with
mentions disabled; members are stored only as keyed pseudonyms; the author is only ever found
through the stories feature (keyed pseudonym to check, sealed id to DM), and never logged.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import discord

from bot.deps import ServiceDeps, WithDeps
from bot.errors import UserFacingError
from bot.guild_settings import GuildSettingsRepository
from bot.i18n import plural
from bot.scheduling import Outcome, RetryLater, to_epoch
from bot.sending import PermanentFailure
from cogs.encouragement import logic
from cogs.encouragement import messages as m
from cogs.encouragement.kind_words import KindWords
from cogs.encouragement.repository import (
    DIGEST_JOB,
    ROUNDUP_JOB,
    EncouragementRepository,
    StoryThread,
    pseudonym_scope,
)
from cogs.encouragement.stories import StoriesData

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


@dataclass(frozen=True, slots=True)
class DigestChoice:
    public_id: str
    label: str
    on: bool


class EncouragementService(WithDeps):
    def __init__(
        self, deps: ServiceDeps, repo: EncouragementRepository, stories: StoriesData
    ) -> None:
        super().__init__(deps)
        self.repo = repo
        self.stories = stories
        self.kind_words = KindWords(deps, repo, stories)

    # -- a story was posted ---------------------------------------------------------------------

    async def open_thread(
        self,
        *,
        story_id: int,
        public_id: str,
        guild_id: int,
        channel_id: int,
        message_id: int,
        forum_post_id: int | None,
        label: str,
        stage: str | None,
    ) -> tuple[Outcome, str | None]:
        """Give a posted story its thread: one on the message in a text channel, the post
        itself in a forum. A scheduled job (STORY_THREAD_JOB, from the stories feature's
        durable "posted" event), so it runs once and again after a crash: the thread on a
        message is made through the scheduler's creator (bot/creating.py): one request per
        attempt, and 160004 means it exists (its id is the message's). Raises RetryLater for
        what may pass (an outage, a 5xx)."""
        if not await self.stories.is_posted(story_id):
            return "skipped", "story gone"
        now = self.clock.now()
        wants_roundup = await self._roundup_missing(guild_id)
        zone = await self._zone(guild_id)
        async with self.store.transaction() as conn:
            await self.repo.add_story(
                conn,
                story_id=story_id,
                public_id=public_id,
                guild_id=guild_id,
                channel_id=channel_id,
                message_id=message_id,
                label=label,
                stage=stage,
                now=now,
            )
            if wants_roundup:
                await self.scheduler.put_job(conn, ROUNDUP_JOB, str(guild_id), {"zone": zone})
        known = await self.repo.story(story_id)
        if known is not None and known.thread_id is not None:
            return "done", "already open"
        self.sender.check_guild_available(guild_id)  # an outage: wait for the server
        try:
            if forum_post_id is not None:
                thread_id = forum_post_id
                # A forum post keeps the forum's default; a story's stays open for a week.
                await self.sender.call(
                    lambda: self.client.http.edit_channel(
                        forum_post_id, auto_archive_duration=logic.AUTO_ARCHIVE_MINUTES
                    )
                )
            else:
                channel = self.client.get_channel(channel_id)
                if not isinstance(channel, discord.TextChannel):
                    log.info("A story's channel is gone; no encouragement thread for it")
                    return "skipped", "channel gone"
                thread_id = await self.creator.thread_on_message(
                    channel_id,
                    message_id,
                    name=logic.thread_name(label, stage),
                    auto_archive_minutes=logic.AUTO_ARCHIVE_MINUTES,
                )
        except PermanentFailure as failure:
            log.warning("Could not open the encouragement thread of a story (%s)", failure.reason)
            return "failed", failure.reason
        await self.repo.set_thread(story_id, thread_id)
        return "done", None

    async def _roundup_missing(self, guild_id: int) -> bool:
        """The server wants roundups and has none scheduled yet."""
        return (
            await self.repo.roundup_enabled(guild_id)
            and await self.scheduler.next_run(ROUNDUP_JOB, str(guild_id)) is None
        )

    async def _zone(self, guild_id: int) -> str:
        """The server's time zone for the roundup's Monday morning (UTC until one is set)."""
        settings = await GuildSettingsRepository(self.store).get(guild_id)
        return settings.default_timezone or "UTC"

    async def story_removed(self, story_id: int, public_id: str | None = None) -> None:
        """The story was deleted: its thread goes too (a forum post is the story itself and is
        deleted with it), and so do its kind words and me-toos. Run again after a crash, it
        finishes what is left (a thread already gone is NotFound)."""
        story = await self.repo.story(story_id)
        if story is None:
            await self.repo.forget_story(story_id, public_id)  # a thread job still waiting
            return
        in_forum = isinstance(self.client.get_channel(story.channel_id), discord.ForumChannel)
        if story.thread_id is not None and not in_forum:
            try:
                await self.client.http.delete_channel(story.thread_id)
            except discord.NotFound:
                pass
            except discord.HTTPException as exc:
                if exc.status >= 500:
                    # Discord is having a moment: the records stay, so the retry finds the
                    # thread to delete.
                    raise RetryLater(f"HTTP {exc.status}") from exc
                log.warning("Could not delete a removed story's thread (HTTP %s)", exc.status)
        await self.repo.forget_story(story_id, public_id)

    # -- a story by its public id (kind words and OP replies: cogs/encouragement/kind_words.py)

    async def _story(self, public_id: str, guild_id: int) -> StoryThread:
        story = await self.repo.story_by_public_id(public_id)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(m.STORY_GONE)
        return story

    # -- me too ---------------------------------------------------------------------------------

    async def toggle_me_too(
        self, public_id: str, guild_id: int, user_id: int
    ) -> logic.MeTooChange | None:
        """Add or take back the member's "me too"; None when the story is gone."""
        story = await self.repo.story_by_public_id(public_id)
        if story is None or story.guild_id != guild_id:
            return None
        story_id = story.story_id
        pseudonym = self.anonymizer.pseudonym(pseudonym_scope(guild_id), user_id)
        async with self.store.transaction() as conn:
            counted = await self.repo.has_me_too(conn, story_id, pseudonym)
            before = await self.repo.me_too_count(conn, story_id)
            change = logic.toggle_me_too(counted, before)
            await self.repo.set_me_too(
                conn, story_id, guild_id, pseudonym, on=change.added, now=self.clock.now()
            )
            count = await self.repo.me_too_count(conn, story_id)
        return logic.MeTooChange(added=change.added, count=count)

    # -- OP replies -----------------------------------------------------------------------------

    async def story_for_reply(self, channel_id: int, guild_id: int, user_id: int) -> str:
        """The story whose thread this is, if the member wrote it; else a kind refusal."""
        story = await self.repo.story_by_thread(channel_id)
        if story is None or story.guild_id != guild_id:
            raise UserFacingError(m.REPLY_OUTSIDE_THREAD)
        if not await self.stories.is_author(story.story_id, guild_id, user_id):
            raise UserFacingError(m.REPLY_NOT_AUTHOR)
        return story.public_id

    # -- the author's digest --------------------------------------------------------------------

    async def send_digest(self, story_id: int, nonce: str) -> tuple[Outcome, str | None]:
        story = await self.repo.story(story_id)
        if story is None:
            return "skipped", "story gone"
        now = self.clock.now()
        if not logic.digest_allowed(now, story.digest_sent_at):
            # Something scheduled it early: come back when the hour is up.
            assert story.digest_sent_at is not None
            due = story.digest_sent_at + logic.DIGEST_MIN_GAP
            async with self.store.transaction() as conn:
                await self.scheduler.put_job(
                    conn, DIGEST_JOB, str(story_id), {"at": to_epoch(due)}, after=now
                )
            return "skipped", "within the hour"
        items = await self.repo.undigested(story_id)
        if not items:
            return "skipped", "nothing new"
        recipient = None if story.digest_muted else await self.stories.digest_recipient(story_id)
        if recipient is None:
            await self.repo.drop_undigested_text(story_id, now)
            return "skipped", "author opted out"
        guild = self.client.get_guild(story.guild_id)
        link = (
            f"https://discord.com/channels/{story.guild_id}/{story.thread_id}"
            if story.thread_id
            else ""
        )
        me_toos = await self.repo.me_too_count(None, story_id)
        text = render_digest(
            label=story.label,
            server=guild.name if guild else "your server",
            items=[(i.body or "", i.signature) for i in items],
            me_toos=me_toos,
            link=link,
        )
        try:
            # The scheduler's paced sender: the run's nonce makes a re-send after a crash a no-op;
            # a passing failure raises RetryLater and the scheduler tries again (same nonce).
            await self.sender.send_dm(recipient, nonce=nonce, content=text)
        except PermanentFailure:
            # DMs closed: keep the words for a later digest? No — nobody can tell either way,
            # and text waiting forever is data kept for nothing.
            await self.repo.drop_undigested_text(story_id, now)
            return "skipped", "DMs closed"
        async with self.store.transaction() as conn:
            await self.repo.mark_digested(conn, story_id, [i.id for i in items], now)
        return "done", plural(len(items), "1 item", "{count} items")

    async def _digest_on(self, story: StoryThread) -> bool:
        return not story.digest_muted and await self.stories.wants_digest(story.story_id)

    async def digest_choices(self, guild_id: int, user_id: int) -> list[DigestChoice]:
        """The member's posted stories and whether each sends them digests (for /mystories)."""
        choices = []
        for story_id in await self.stories.own_posted(guild_id, user_id):
            story = await self.repo.story(story_id)
            if story is None:
                continue
            choices.append(DigestChoice(story.public_id, story.label, await self._digest_on(story)))
        return choices

    async def toggle_digest(self, public_id: str, guild_id: int, user_id: int) -> bool:
        """Turn the author's digest for one story on or off; returns the new state."""
        story = await self._story(public_id, guild_id)
        if not await self.stories.is_author(story.story_id, guild_id, user_id):
            raise UserFacingError(m.DIGEST_NOT_YOURS)
        if await self._digest_on(story):
            await self.repo.set_digest_muted(story.story_id, True)
            await self.repo.drop_undigested_text(story.story_id, self.clock.now())
            async with self.store.transaction() as conn:
                await self.scheduler.remove_job(conn, DIGEST_JOB, str(story.story_id))
            return False
        # The stories feature keeps the sealed id (the "DM me about this story" choice).
        await self.stories.opt_in_dm(public_id, guild_id, user_id)
        await self.repo.set_digest_muted(story.story_id, False)
        return True

    # -- the weekly roundup ---------------------------------------------------------------------

    async def set_roundup(self, guild_id: int, enabled: bool) -> None:
        missing = await self.scheduler.next_run(ROUNDUP_JOB, str(guild_id)) is None
        zone = await self._zone(guild_id)
        async with self.store.transaction() as conn:
            await self.repo.set_roundup_enabled(conn, guild_id, enabled, self.clock.now())
            if enabled and missing:
                await self.scheduler.put_job(conn, ROUNDUP_JOB, str(guild_id), {"zone": zone})
            elif not enabled:
                await self.scheduler.remove_job(conn, ROUNDUP_JOB, str(guild_id))

    async def post_roundup(
        self, guild_id: int, week: str, zone: str, nonce: str, *, retrying: bool = False
    ) -> tuple[Outcome, str | None]:
        """Post the week's roundup (a scheduled job: its claim is the intent). In a text
        channel it is a message with the run's nonce; in a forum, a post, which takes no
        nonce: made through the scheduler's creator (bot/creating.py), looked for by its name
        first when an earlier run may have made it (`retrying`). During an outage it waits
        for the server (RetryLater) instead of giving up."""
        if not await self.repo.roundup_enabled(guild_id):
            return "skipped", "turned off"
        if await self.repo.roundup_posted(guild_id, week):
            return "skipped", "already posted"
        # A server Discord reports unavailable has no channels for now: wait for it.
        self.sender.check_guild_available(guild_id)
        start, end = logic.week_window(week, zone)
        counts = await self.repo.week_counts(guild_id, start, end)
        comebacks = await self.stories.comebacks_between(guild_id, start, end)
        counts = dataclasses.replace(counts, comebacks=comebacks)
        if counts.empty:
            return "skipped", "a quiet week"
        channel_id = await self.stories.stories_channel(guild_id) or await self.repo.latest_channel(
            guild_id
        )
        channel = self.client.get_channel(channel_id) if channel_id else None
        if channel is None:
            return "skipped", "no stories channel"
        text = render_roundup(counts)
        try:
            if isinstance(channel, discord.ForumChannel):
                # The year too: the name is how a later run finds this week's post again.
                name = m.ROUNDUP_THREAD_NAME.format(date=start.strftime("%-d %B %Y"))
                post = await self.creator.forum_post(
                    channel,
                    name=name,
                    look_first=retrying,
                    content=text,
                    auto_archive_duration=logic.AUTO_ARCHIVE_MINUTES,
                )
                message_id = post.message_id
            elif isinstance(channel, discord.TextChannel):
                posted = await self.sender.send(
                    channel.id, nonce=nonce, guild_id=guild_id, content=text
                )
                message_id = posted.id
            else:
                return "skipped", "no stories channel"
        except PermanentFailure as failure:
            return "failed", failure.reason
        await self.repo.record_roundup(guild_id, week, counts, message_id, self.clock.now())
        return "done", None


def render_digest(
    *, label: str, server: str, items: list[tuple[str, str | None]], me_toos: int, link: str
) -> str:
    """The digest DM: excerpts signed by name or "a member", never anything else about them."""
    lines = [m.DIGEST_HEADER.format(label=label, server=discord.utils.escape_markdown(server))]
    for body, signature in items[: logic.DIGEST_EXCERPTS]:
        lines.append(
            m.DIGEST_ITEM.format(excerpt=logic.excerpt(body), signature=signature or "a member")
        )
    if len(items) > logic.DIGEST_EXCERPTS:
        lines.append(m.DIGEST_MORE.format(count=len(items) - logic.DIGEST_EXCERPTS))
    if me_toos:
        lines.append(plural(me_toos, m.DIGEST_ME_TOO_ONE, m.DIGEST_ME_TOO))
    if link:
        lines.append(m.DIGEST_LINK.format(link=link))
    lines.append(f"-# {m.DIGEST_FOOTER}")
    return "\n".join(lines)[:2000]


def _plural(forms: tuple[str, str], count: int) -> str:
    return forms[0] if count == 1 else forms[1].format(count=count)


def render_roundup(counts: logic.RoundupCounts) -> str:
    text = m.ROUNDUP_BODY.format(
        stories=_plural(m.ROUNDUP_STORIES, counts.stories),
        encouragements=_plural(m.ROUNDUP_WORDS, counts.encouragements),
        me_toos=_plural(m.ROUNDUP_ME_TOOS, counts.me_toos),
    )
    if counts.comebacks:  # only when there were some: a quiet week is not a failure
        text += "\n" + _plural(m.ROUNDUP_COMEBACKS, counts.comebacks)
    return text
