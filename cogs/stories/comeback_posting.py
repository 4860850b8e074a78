"""The Discord side of the comeback: the update in the story's thread, the short card in a text
stories channel, the moderators' queue and reports, and the followers' DMs.

Never an interaction response: Discord marks those with the member who used the command. Each
send goes through the scheduler's paced sender with a nonce of the update's run, so a retry or
a re-send after a crash returns the first message instead of posting a second. Every send
disables all mentions, and member text is sanitised here, when it is shown.
"""

from __future__ import annotations

import contextlib
import logging

import discord

from bot.deps import ServiceDeps, WithDeps
from bot.scheduling import RetryLater
from bot.sending import PermanentFailure
from cogs.stories import comeback_logic as cb
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.comeback_views import post_view, queue_view, report_view
from cogs.stories.records import Story, StorySettings
from cogs.stories.render import POST_COLOUR, QUEUE_COLOUR, REPORT_COLOUR, label
from cogs.stories.update_rows import Update

log = logging.getLogger(__name__)


def thread_of(story: Story) -> int | None:
    """The story's thread: the forum post, or the thread on its message (whose id is the
    message's, as Discord makes it)."""
    return story.thread_id or story.message_id


def thread_link(story: Story) -> str:
    return f"https://discord.com/channels/{story.guild_id}/{thread_of(story)}"


def update_text(update: Update, settings: StorySettings, limit: int) -> str:
    return logic.sanitise(update.body, limit=limit, links_allowed=settings.links_allowed).text


def update_embed(update: Update, settings: StorySettings) -> discord.Embed:
    embed = discord.Embed(
        title=msg.CB_THREAD_TITLE.format(kind=cb.KIND_LABELS.get(update.kind, "")),
        description=update_text(update, settings, cb.UPDATE_POST_LIMIT),
        colour=POST_COLOUR,
    )
    embed.set_footer(text=msg.CB_THREAD_FOOTER)
    return embed


def card_text(story: Story, update: Update) -> str:
    kind = cb.KIND_CARDS.get(update.kind, cb.KIND_CARDS[cb.DEFAULT_KIND])
    return msg.CB_CARD.format(label=label(story), kind=kind, link=thread_link(story))


def follower_dm_text(story: Story, update: Update, server: str) -> str:
    kind = cb.KIND_CARDS.get(update.kind, cb.KIND_CARDS[cb.DEFAULT_KIND])
    return msg.CB_FOLLOWER_DM.format(
        label=label(story),
        server=discord.utils.escape_markdown(server),
        kind=kind,
        link=thread_link(story),
    )


class UpdatePublisher(WithDeps):
    """Built from the core's narrow dependencies, never the Bot."""

    def __init__(self, deps: ServiceDeps) -> None:
        super().__init__(deps)

    def guild_name(self, guild_id: int) -> str:
        guild = self.client.get_guild(guild_id)
        return guild.name if guild else "your server"

    def card_channel(self, story: Story) -> int | None:
        """Where a card goes: the story's channel if it is a text channel (a forum's post is
        the story itself: the update is a message in it, and no card)."""
        channel = self.client.get_channel(story.channel_id) if story.channel_id else None
        return channel.id if isinstance(channel, discord.TextChannel) else None

    async def post_update(
        self, story: Story, update: Update, settings: StorySettings, *, nonce: str
    ) -> int:
        """The update in the story's thread (its message id). PermanentFailure when the thread
        is gone or closed to the bot; RetryLater for what may pass."""
        thread_id = thread_of(story)
        assert thread_id is not None
        sent = await self.sender.send(
            thread_id,
            nonce=nonce,
            guild_id=story.guild_id,
            embed=update_embed(update, settings),
            view=post_view(update),
        )
        return sent.id

    async def post_card(
        self, story: Story, update: Update, *, nonce: str
    ) -> tuple[int, int] | None:
        """The short card in a text stories channel: (channel id, message id); None in a forum
        or when the channel cannot take it (the update itself is up: that is what matters)."""
        channel_id = self.card_channel(story)
        if channel_id is None:
            return None
        try:
            sent = await self.sender.send(
                channel_id, nonce=nonce, guild_id=story.guild_id, content=card_text(story, update)
            )
        except PermanentFailure as failure:
            log.info("An update's card could not be posted (%s)", failure.reason)
            return None
        return channel_id, sent.id

    async def send_to_queue(
        self, story: Story, update: Update, settings: StorySettings, *, nonce: str
    ) -> tuple[int, int] | None:
        channel_id = settings.mod_channel_id
        if channel_id is None:
            return None
        embed = discord.Embed(
            title=msg.CB_QUEUE_TITLE.format(label=label(story), anon=logic.anon_tag(update.author)),
            description=update_text(update, settings, logic.QUEUE_PREVIEW_LIMIT),
            colour=QUEUE_COLOUR,
        )
        embed.add_field(name=msg.CB_FIELD_KIND, value=cb.KIND_LABELS.get(update.kind, "—"))
        if update.crisis:
            embed.add_field(name=msg.QUEUE_CRISIS_FIELD, value=msg.QUEUE_CRISIS, inline=False)
        embed.set_footer(text=msg.CB_QUEUE_FOOTER)
        try:
            sent = await self.sender.send(
                channel_id, nonce=nonce, guild_id=story.guild_id, embed=embed,
                view=queue_view(update),
            )  # fmt: skip
        except PermanentFailure as failure:
            log.warning("Sending an update to the queue failed for good (%s)", failure.reason)
            return None
        return channel_id, sent.id

    async def send_report(
        self, story: Story, update: Update, settings: StorySettings, reason: str | None,
        *, nonce: str,
    ) -> tuple[int, int] | None:  # fmt: skip
        channel_id = settings.mod_channel_id
        if channel_id is None:
            return None
        embed = discord.Embed(
            title=msg.CB_REPORT_TITLE.format(
                label=label(story), anon=logic.anon_tag(update.author)
            ),
            description=update_text(update, settings, 1000),
            colour=REPORT_COLOUR,
        )
        shown = (
            logic.sanitise(reason, limit=1000, links_allowed=False).text
            if reason and reason.strip()
            else msg.REPORT_NO_REASON
        )
        embed.add_field(name=msg.REPORT_REASON, value=shown, inline=False)
        embed.add_field(name=msg.REPORT_LINK, value=thread_link(story), inline=False)
        embed.set_footer(text=msg.REPORT_FOOTER)
        try:
            sent = await self.sender.send(
                channel_id, nonce=nonce, guild_id=story.guild_id, embed=embed,
                view=report_view(update),
            )  # fmt: skip
        except (PermanentFailure, RetryLater) as exc:
            log.warning(
                "Sending an update's report to the moderators failed (%s)", type(exc).__name__
            )
            return None
        return channel_id, sent.id

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        with contextlib.suppress(discord.NotFound):
            await self.client.http.delete_message(channel_id, message_id)

    async def dm(self, user_id: int, text: str, *, nonce: str) -> bool:
        """A follower's DM; False if their DMs are closed (RetryLater for what may pass)."""
        try:
            await self.sender.send_dm(user_id, nonce=nonce, content=text)
        except PermanentFailure:
            return False
        return True
