"""/stories settings, unblock, blocked: what a server's admins set and see (Manage Server)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.i18n import plural
from bot.ui import POST_EMBEDS, can_post, require_manage_guild
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.moderation import Moderation
from cogs.stories.repository import StorySettings, with_settings
from cogs.stories.service import StoryService

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

MAX_NOTE = 300
# A server's own crisis phrases: enough for any real list, short enough to show back in a reply.
MAX_PHRASES = 50
MAX_PHRASE_LENGTH = 60
# How much of the phrase list the settings summary shows (the rest is counted).
SHOWN_WORDS_LENGTH = 400


def _guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(msg.SERVER_ONLY)
    return interaction.guild


StoriesChannel = discord.TextChannel | discord.ForumChannel


class StoriesChannelOption(app_commands.Transformer):
    """A text or forum channel. Declared by hand because discord.py's ForumChannel also offers
    media channels (type 16), which stories do not support and Discord's API spec lacks."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum]

    async def transform(  # type: ignore[override]  # discord.py types it Interaction[Client]
        self, interaction: discord.Interaction[Bot], value: object, /
    ) -> StoriesChannel:
        channel_id = getattr(value, "id", None)
        guild = interaction.guild
        channel = guild.get_channel(channel_id) if guild and channel_id else None
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise UserFacingError(msg.CHANNEL_KIND)
        return channel


class StoriesAdminCog(commands.Cog, name="Stories admin"):
    stories = app_commands.Group(
        name="stories",
        description=msg.GROUP_DESCRIPTION,
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, service: StoryService, moderation: Moderation) -> None:
        self.service = service
        self.moderation = moderation

    # -- /stories ------------------------------------------------------------------------------

    def _check_postable(self, guild: discord.Guild, channel: discord.abc.GuildChannel) -> None:
        if not can_post(channel, POST_EMBEDS):
            raise UserFacingError(msg.CANNOT_POST_IN.format(channel=channel.mention))

    @stories.command(name="settings", description=msg.SETTINGS_DESCRIPTION)
    @app_commands.describe(**msg.SETTINGS_OPTIONS)
    @require_manage_guild
    async def settings_command(
        self,
        interaction: discord.Interaction[Bot],
        channel: app_commands.Transform[StoriesChannel, StoriesChannelOption] | None = None,
        mod_channel: discord.TextChannel | None = None,
        approval: bool | None = None,
        links: bool | None = None,
        max_delay: app_commands.Range[int, 0, 900] | None = None,
        cooldown: app_commands.Range[int, 0, 1440] | None = None,
        daily_limit: app_commands.Range[int, 1, 20] | None = None,
        crisis_stories: Literal["post", "hold"] | None = None,
        crisis_words: str | None = None,
        crisis_note: str | None = None,
    ) -> None:
        guild = _guild(interaction)
        current = await self.service.settings(guild.id)
        changes: dict[str, object] = {}
        for target in (channel, mod_channel):
            if target is not None:
                self._check_postable(guild, target)
        if channel is not None:
            changes["channel_id"] = channel.id
        if mod_channel is not None:
            changes["mod_channel_id"] = mod_channel.id
        for name, value in (
            ("approval", approval),
            ("links_allowed", links),
            ("max_delay_seconds", max_delay),
            ("cooldown_minutes", cooldown),
            ("daily_limit", daily_limit),
            ("crisis_policy", crisis_stories),
        ):
            if value is not None:
                changes[name] = value
        if crisis_words is not None:
            cleared = crisis_words.strip().lower() in msg.CLEAR_WORDS
            phrases = () if cleared else logic.parse_phrase_list(crisis_words)
            if len(phrases) > MAX_PHRASES or any(len(p) > MAX_PHRASE_LENGTH for p in phrases):
                raise UserFacingError(
                    msg.CRISIS_WORDS_TOO_LONG.format(count=MAX_PHRASES, length=MAX_PHRASE_LENGTH)
                )
            changes["crisis_words"] = phrases
        if crisis_note is not None:
            note = " ".join(crisis_note.split())
            if len(note) > MAX_NOTE:
                raise UserFacingError(msg.NOTE_TOO_LONG)
            cleared = note.lower() in msg.CLEAR_WORDS
            changes["crisis_note"] = None if cleared or not note else note
        updated = with_settings(current, **changes)
        if updated.approval and updated.mod_channel_id is None:
            raise UserFacingError(msg.APPROVAL_NEEDS_MOD_CHANNEL)
        if updated.crisis_policy == "hold" and updated.mod_channel_id is None:
            raise UserFacingError(msg.HOLD_NEEDS_MOD_CHANNEL)
        retried = 0
        if changes:
            await self.service.save_settings(updated)
            log.info("Story settings changed (%s)", ", ".join(sorted(changes)))
            if "channel_id" in changes or "mod_channel_id" in changes:
                retried = await self.service.retry_failed(guild.id)
        text = self._describe(updated)
        if retried:
            text += "\n" + plural(retried, msg.RETRYING_FAILED_ONE, msg.RETRYING_FAILED_MANY)
        await interaction.response.send_message(
            f"{msg.SETTINGS_SAVED}\n{text}" if changes else text, ephemeral=True
        )

    def _describe(self, s: StorySettings) -> str:
        def where(channel_id: int | None) -> str:
            # A real channel mention: Discord shows its name, and it pings nobody.
            return f"<#{channel_id}>" if channel_id else msg.NOT_SET

        def shown(text: str) -> str:  # what an admin typed: never an active mention
            return logic.neutralise_mentions(text)[0]

        if s.max_delay_seconds > 0:
            delay = plural(s.max_delay_seconds, msg.DELAY_UP_TO_ONE, msg.DELAY_UP_TO_MANY)
        else:
            delay = msg.DELAY_NONE
        if s.cooldown_minutes > 0:
            pace = plural(s.cooldown_minutes, msg.PACE_COOLDOWN_ONE, msg.PACE_COOLDOWN_MANY)
        else:
            pace = msg.PACE_NO_COOLDOWN
        pace += plural(s.daily_limit, msg.PACE_DAILY_ONE, msg.PACE_DAILY_MANY)
        values = {
            "channel": where(s.channel_id),
            "mod_channel": where(s.mod_channel_id),
            "approval": msg.ON if s.approval else msg.OFF,
            "links": msg.LINKS_ALLOWED if s.links_allowed else msg.LINKS_BLOCKED,
            "delay": delay,
            "pace": pace,
            "crisis": msg.CRISIS_POLICIES[s.crisis_policy],
            "words": shown(
                logic.shortened_list(s.crisis_words, SHOWN_WORDS_LENGTH, msg.AND_MORE)
                or msg.NONE_WORDS
            ),
            "note": shown(s.crisis_note) if s.crisis_note else msg.NOT_SET,
        }
        lines = [msg.SETTINGS_TITLE, *(line.format(**values) for line in msg.SETTINGS_LINES)]
        if s.max_delay_seconds == 0:
            lines.append(msg.NO_DELAY_HINT)
        lines.append(msg.ANON_TAG_NOTE)
        return "\n".join(lines)

    @stories.command(name="unblock", description=msg.UNBLOCK_DESCRIPTION)
    @app_commands.describe(**msg.UNBLOCK_OPTIONS)
    @require_manage_guild
    async def unblock(
        self,
        interaction: discord.Interaction[Bot],
        anon: str | None = None,
        everyone: bool | None = None,
    ) -> None:
        guild = _guild(interaction)
        if everyone:
            count = await self.service.repo.unblock_all(guild.id)
            await interaction.response.send_message(
                msg.UNBLOCKED_ALL.format(count=count), ephemeral=True
            )
            return
        if not anon:
            raise UserFacingError(msg.UNBLOCK_NEEDS)
        tag = logic.normalise_anon_tag(anon)
        if tag is None:
            raise UserFacingError(
                msg.UNBLOCK_BAD_TAG.format(raw=logic.neutralise_mentions(anon[:20])[0])
            )
        matched = await self.moderation.unblock_tag(guild.id, tag)
        if matched == 0:
            raise UserFacingError(msg.UNBLOCK_NOT_FOUND.format(anon=tag))
        if matched > 1:
            raise UserFacingError(msg.UNBLOCK_AMBIGUOUS.format(anon=tag))
        await interaction.response.send_message(
            msg.UNBLOCKED_REPLY.format(anon=tag), ephemeral=True
        )

    @stories.command(name="blocked", description=msg.BLOCKED_DESCRIPTION)
    @require_manage_guild
    async def blocked(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        count, recent = await self.moderation.block_counts(guild.id)
        if count == 0:
            text = msg.BLOCKED_COUNT_NONE
        else:
            text = plural(count, msg.BLOCKED_COUNT_ONE, msg.BLOCKED_COUNT_MANY)
            text = text.format(recent=recent)
        await interaction.response.send_message(text, ephemeral=True)
