"""The Discord side of stories: posting (channel.send, or a forum post tagged with the stage),
the moderators' queue, deleting, DMs to authors who asked, notices to admins.

A story is never sent as an interaction response or followup: Discord marks those with the
member who used the command. Scheduled sends go through the scheduler's paced sender
(`bot.sender`) with a nonce made from the story, so a retry or a re-send after a crash returns
the first message instead of posting a second. Every send disables all mentions.
"""

from __future__ import annotations

import contextlib
import logging

import discord

from bot.deps import ServiceDeps, WithDeps
from bot.guild_settings import GuildSettingsRepository
from bot.notices import notify_admins
from bot.scheduling import RetryLater, make_nonce
from bot.seams import STORY_POST_ITEMS, Seams
from bot.sending import PermanentFailure
from bot.ui import POST_EMBEDS, can_post
from cogs.stories import logic, render
from cogs.stories.delivery import Failed, Posted
from cogs.stories.repository import POST_JOB, Story, StorySettings
from cogs.stories.views import StoryButton, queue_view, report_view, story_post_view

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
# How many of a channel's latest messages a retried post (or queue entry) looks through.
LOOK_BACK = 100


def nonce_for(story: Story, what: str) -> str:
    """One nonce per story and message (post, queue): the same whatever run sends it."""
    return make_nonce(POST_JOB, story.public_id, what)


class DiscordPublisher(WithDeps):
    """Built from the core's narrow dependencies and the seams (for the buttons other
    features add under a post), never the Bot."""

    def __init__(self, deps: ServiceDeps, seams: Seams) -> None:
        super().__init__(deps)
        self.seams = seams

    def guild_name(self, guild_id: int) -> str:
        guild = self.client.get_guild(guild_id)
        return guild.name if guild else "your server"

    def _writable(self, channel_id: int | None) -> discord.abc.GuildChannel | None:
        """The channel if it exists and the bot may post there (checked on the cache first,
        so no doomed request counts towards Discord's invalid-request limit)."""
        channel = self.client.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            return None
        return channel if can_post(channel, POST_EMBEDS) else None

    async def publish(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> Posted | Failed:
        self.sender.check_guild_available(story.guild_id)
        channel = self._writable(settings.channel_id)
        if channel is None:
            return Failed("channel_unavailable")
        assert story.number is not None
        embed = render.post_embed(story, settings)
        view = story_post_view(story, self.seams.items(STORY_POST_ITEMS, story.public_id))
        try:
            if isinstance(channel, discord.ForumChannel):
                thread_id, message_id = await self._forum_post(
                    channel, story, embed, view, retrying=retrying
                )
                return Posted(channel.id, message_id, thread_id)
            found = await self._earlier_message(channel, story, "report") if retrying else None
            if found is not None:
                return Posted(channel.id, found)
            message = await self.sender.send(
                channel.id,
                nonce=nonce_for(story, "post"),
                guild_id=story.guild_id,
                embed=embed,
                view=view,
            )
            return Posted(channel.id, message.id)
        except PermanentFailure as failure:
            log.warning("Posting a story failed for good (%s)", failure.reason)
            return Failed(failure.reason)

    async def _earlier_message(
        self, channel: discord.abc.GuildChannel, story: Story, button: str
    ) -> int | None:
        """The id of a message an earlier attempt sent for the story, if it is among the
        channel's latest: the bot's own, carrying the story's `button` ("report" under the
        post, "approve" in the moderators' queue; the custom_id holds the story's opaque id).
        Discord's nonce covers a re-send for a few minutes only; a run a crash left in flight
        longer (DeliverJob is resumable: run again at any age) looks here first."""
        if not isinstance(channel, discord.TextChannel):
            return None
        wanted = StoryButton(button, story.public_id, label="-").custom_id
        me = self.client.user.id if self.client.user else None
        try:
            async for message in channel.history(limit=LOOK_BACK):
                ids = {
                    getattr(child, "custom_id", None)
                    for row in message.components
                    for child in getattr(row, "children", ())
                }
                if message.author.id == me and wanted in ids:
                    return message.id
        except discord.HTTPException as exc:  # no Read Message History: the nonce must do
            log.info("Could not look for an earlier story message (%s)", exc.status)
        return None

    async def _forum_post(
        self,
        forum: discord.ForumChannel,
        story: Story,
        embed: discord.Embed,
        view: discord.ui.View,
        *,
        retrying: bool,
    ) -> tuple[int, int]:
        """(thread id, starter message id) of the story's forum post, tagged with its stage.

        Forum posts take no nonce, so the scheduler's creator makes it (bot/creating.py): one
        request per attempt (discord.py does not send a 500 again by itself), and before any
        other attempt it looks for the post by its title ("Story #N" is unique per server)
        among the forum's active and archived posts of the bot."""
        assert story.number is not None
        title = logic.thread_title(story.number, story.stage)
        me = self.client.user.id if self.client.user else None
        for thread in forum.threads:  # what the gateway already told us costs no request
            if thread.name == title and thread.owner_id == me:
                return thread.id, thread.id
        tag_id = logic.match_forum_tag(story.stage, [(t.id, t.name) for t in forum.available_tags])
        tag = forum.get_tag(tag_id) if tag_id else None
        post = await self.creator.forum_post(
            forum,
            name=title,
            look_first=retrying,
            embed=embed,
            view=view,
            applied_tags=[tag] if tag else [],
        )
        return post.thread_id, post.message_id

    async def send_to_queue(
        self, story: Story, settings: StorySettings, *, retrying: bool = False
    ) -> Posted | Failed:
        self.sender.check_guild_available(story.guild_id)
        channel = self._writable(settings.mod_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return Failed("mod_channel_unavailable")
        found = await self._earlier_message(channel, story, "approve") if retrying else None
        if found is not None:
            return Posted(channel.id, found)
        try:
            message = await self.sender.send(
                channel.id,
                nonce=nonce_for(story, "queue"),
                guild_id=story.guild_id,
                embed=render.queue_embed(story, settings),
                view=queue_view(story),
            )
        except PermanentFailure as failure:
            log.warning("Sending a story to the queue failed for good (%s)", failure.reason)
            return Failed(failure.reason)
        return Posted(channel.id, message.id)

    async def send_report(
        self,
        story: Story,
        settings: StorySettings,
        reason: str | None,
        *,
        nonce: str,
    ) -> Posted | None:
        channel = self._writable(settings.mod_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return None
        try:
            message = await self.sender.send(
                channel.id,
                nonce=nonce,
                guild_id=story.guild_id,
                embed=render.report_embed(story, settings, reason),
                view=report_view(story),
            )
        except (PermanentFailure, RetryLater) as exc:
            log.warning("Sending a report to the moderators failed (%s)", type(exc).__name__)
            return None
        return Posted(channel.id, message.id)

    async def delete_post(self, story: Story) -> None:
        """The post and what hangs off it: a forum post is its thread; a thread started on a
        text-channel post goes too."""
        thread_gone = False
        if story.thread_id is not None:
            try:
                await self.client.http.delete_channel(story.thread_id)
                thread_gone = True
            except discord.NotFound:
                thread_gone = True  # already gone: that is what was wanted
            except discord.Forbidden:
                # Without Manage Threads the thread stays; its first message (ours) still goes.
                log.info("No permission to delete a story's thread; deleting its message")
        if story.message_id is None or (thread_gone and story.thread_id == story.message_id):
            return
        where = story.thread_id if story.thread_id == story.message_id else story.channel_id
        assert where is not None
        await self.delete_message(where, story.message_id)

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        with contextlib.suppress(discord.NotFound):
            await self.client.http.delete_message(channel_id, message_id)

    async def dm(self, user_id: int, text: str, *, nonce: str) -> bool:
        try:
            await self.sender.send_dm(user_id, nonce=nonce, content=text)
        except (PermanentFailure, RetryLater) as exc:
            log.info("A story DM could not be delivered (%s)", type(exc).__name__)
            return False
        return True

    async def notify_admins(self, guild_id: int, text: str, *, nonce: str) -> None:
        await notify_admins(
            self.client,
            GuildSettingsRepository(self.store),
            self.sender,
            guild_id,
            text,
            nonce=nonce,
        )
