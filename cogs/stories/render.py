"""What stories look like on Discord: the post, the moderator queue, reports, /mystories.

Every piece of member text passes through `logic.sanitise` here, at the moment it is shown,
with the server's current link setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.i18n import plural
from bot.ui import discord_timestamp
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.repository import Story, StorySettings

if TYPE_CHECKING:
    from cogs.stories.sharing import Submitted

POST_COLOUR = discord.Colour.from_rgb(88, 101, 242)
QUEUE_COLOUR = discord.Colour.gold()
REPORT_COLOUR = discord.Colour.orange()
DONE_COLOUR = discord.Colour.dark_grey()


def story_text(story: Story, settings: StorySettings, limit: int) -> logic.Sanitised:
    return logic.sanitise(story.body, limit=limit, links_allowed=settings.links_allowed)


def takeaway_text(story: Story, settings: StorySettings) -> str | None:
    if not story.takeaway or not story.takeaway.strip():
        return None
    return logic.sanitise(
        story.takeaway, limit=logic.TAKEAWAY_POST_LIMIT, links_allowed=settings.links_allowed
    ).text


def jump_url(story: Story) -> str | None:
    if story.message_id is None:
        return None
    where = story.thread_id if story.thread_id and story.thread_id == story.message_id else None
    channel = where or story.channel_id
    return f"https://discord.com/channels/{story.guild_id}/{channel}/{story.message_id}"


def label(story: Story) -> str:
    return logic.story_label(story.number) if story.number else msg.MINE_UNNUMBERED


def deleted_text(story: Story) -> str:
    if story.number:
        return msg.DELETED.format(label=logic.story_label(story.number))
    return msg.DELETED_UNNUMBERED


def _fields(embed: discord.Embed, story: Story, settings: StorySettings) -> None:
    embed.add_field(
        name=msg.POST_STAGE,
        value=logic.stage_label(story.stage),
    )
    if story.help in logic.HELP_LABELS:
        embed.add_field(name=msg.POST_HELP, value=logic.HELP_LABELS[story.help])
    takeaway = takeaway_text(story, settings)
    if takeaway:
        embed.add_field(name=msg.POST_TAKEAWAY, value=takeaway, inline=False)


def post_embed(story: Story, settings: StorySettings) -> discord.Embed:
    """The public post: the label, the story, its stage; nothing about the author."""
    assert story.number is not None
    embed = discord.Embed(
        title=logic.story_label(story.number),
        description=story_text(story, settings, logic.STORY_POST_LIMIT).text,
        colour=POST_COLOUR,
    )
    _fields(embed, story, settings)
    embed.set_footer(text=msg.POST_FOOTER)
    return embed


def queue_embed(story: Story, settings: StorySettings) -> discord.Embed:
    embed = discord.Embed(
        title=msg.QUEUE_TITLE.format(anon=logic.anon_tag(story.author)),
        description=story_text(story, settings, logic.QUEUE_PREVIEW_LIMIT).text,
        colour=QUEUE_COLOUR,
    )
    _fields(embed, story, settings)
    if story.crisis:
        embed.add_field(name=msg.QUEUE_CRISIS_FIELD, value=msg.QUEUE_CRISIS, inline=False)
    embed.set_footer(text=msg.QUEUE_FOOTER)
    return embed


def report_embed(story: Story, settings: StorySettings, reason: str | None) -> discord.Embed:
    embed = discord.Embed(
        title=msg.REPORT_TITLE.format(label=label(story), anon=logic.anon_tag(story.author)),
        description=story_text(story, settings, 1000).text,
        colour=REPORT_COLOUR,
    )
    shown = (
        logic.sanitise(reason, limit=1000, links_allowed=False).text
        if reason and reason.strip()
        else msg.REPORT_NO_REASON
    )
    embed.add_field(name=msg.REPORT_REASON, value=shown, inline=False)
    url = jump_url(story)
    if url:
        embed.add_field(name=msg.REPORT_LINK, value=url, inline=False)
    embed.set_footer(text=msg.REPORT_FOOTER)
    return embed


def decided(embed: discord.Embed) -> discord.Embed:
    """A queue or report message once handled: greyed, so open items stand out."""
    embed.colour = DONE_COLOUR
    return embed


def mine_text(stories: Sequence[Story]) -> str:
    if not stories:
        return msg.MINE_EMPTY
    lines = [msg.MINE_TITLE]
    for n, story in enumerate(stories, start=1):
        status = msg.MINE_STATUS.get(story.status, story.status)
        if story.status == "posted" and story.posted_at is not None:
            status = status.format(when=discord_timestamp(story.posted_at, "R"))
        elif story.status == "scheduled":
            when = discord_timestamp(story.due_at, "R") if story.due_at else msg.ACK_WHEN_NOW
            status = status.format(when=when)
        line = msg.MINE_LINE.format(
            n=n,
            label=label(story),
            stage=logic.stage_label(story.stage),
            status=status,
        )
        url = jump_url(story)
        if story.status == "posted" and url:
            line += f" · {url}"
        lines.append(line)
        if story.decision_note:
            note = logic.sanitise(story.decision_note, limit=300, links_allowed=False).text
            lines.append(msg.MINE_NOTE.format(note=note))
    return "\n".join(lines)[:2000]


# -- private answers to a submission -----------------------------------------------------------


def when_text(max_delay_seconds: int) -> str:
    """When a story appears, truthfully for this server's longest random delay."""
    if max_delay_seconds <= 0:
        return msg.ACK_WHEN_NOW
    if max_delay_seconds <= 60:
        return msg.ACK_WHEN_MINUTE
    minutes = -(-max_delay_seconds // 60)
    return plural(minutes, msg.ACK_WHEN_MINUTES_ONE, msg.ACK_WHEN_MINUTES_MANY)


def ack_text(result: Submitted) -> str:
    channel = f"<#{result.settings.channel_id}>"
    if result.review:
        first = msg.ACK_REVIEW.format(channel=channel)
    else:
        when = when_text(result.settings.max_delay_seconds)
        first = msg.ACK_POSTING.format(channel=channel, when=when)
    lines = [first]
    notes = {
        "invites": msg.ACK_INVITES,
        "links": msg.ACK_LINKS,
        "mentions": msg.ACK_MENTIONS,
        "trimmed": msg.ACK_TRIMMED,
    }
    lines.extend(notes[n] for n in result.notes)
    lines.append(msg.ACK_FOOTER)
    return "\n".join(lines)


def nudge_text(result: Submitted) -> str:
    if logic.TOO_SHORT in result.nudges:
        return msg.TOO_SHORT.format(letters=logic.STORY_MIN_LETTERS)
    lines = []
    if logic.TOO_LONG in result.nudges:
        lines.append(msg.TOO_LONG.format(count=len(result.story.body), limit=logic.STORY_MAX_CHARS))
    details = [msg.NUDGE_DETAILS[k] for k in result.nudges if k != logic.TOO_LONG]
    if details:
        listed = details[0] if len(details) == 1 else f"{', '.join(details[:-1])} and {details[-1]}"
        lines.append(msg.NUDGE_INTRO.format(details=listed))
        if logic.TOO_LONG not in result.nudges:
            lines.append(msg.NUDGE_EDIT_OR_POST)
    lines.append(msg.NUDGE_OUTRO)
    return "\n".join(lines)


def unconfirmed_text(story: Story) -> str:
    excerpt = logic.sanitise(story.body, limit=200, links_allowed=False).text
    excerpt = " ".join(excerpt.split())
    return "\n".join(
        (
            msg.UNCONFIRMED_OFFER.format(when=discord_timestamp(story.created_at, "R")),
            msg.UNCONFIRMED_EXCERPT.format(excerpt=excerpt),
        )
    )
