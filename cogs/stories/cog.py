"""/share, /mystories, /stories: thin handlers that call the service and put its outcome into
words. Button and modal callbacks (cogs/stories/views.py) land here too."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.content import load_crisis
from cogs.stories.personal_data import StoriesPersonalData
from cogs.stories.posting import DiscordPublisher
from cogs.stories.render import decided, label
from cogs.stories.repository import POST_JOB, StorySettings, with_settings
from cogs.stories.service import Draft, StoryService, Submitted
from cogs.stories.views import (
    COG_NAME,
    RejectModal,
    ReportModal,
    ShareModal,
    StoryButton,
    ack_view,
    confirm_delete_view,
    mine_view,
    nudge_view,
    report_view,
    unblock_view,
)

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

AUTHOR_ACTIONS = frozenset({"edit", "post", "dm", "delete", "erase"})
MODERATOR_ACTIONS = frozenset({"approve", "reject", "block", "unblock", "remove", "dismiss"})
MAX_NOTE = 300


def _guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(msg.SERVER_ONLY)
    return interaction.guild


def _is_moderator(interaction: discord.Interaction[Bot]) -> bool:
    perms = interaction.permissions
    return perms.manage_messages or perms.manage_guild


async def _is_manager(interaction: discord.Interaction[Bot]) -> bool:
    """TODO(house-core): bot.ui's require_manage_guild."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


manager_only = app_commands.check(_is_manager)


def ack_text(result: Submitted) -> str:
    channel = f"<#{result.settings.channel_id}>"
    lines = [(msg.ACK_REVIEW if result.review else msg.ACK_POSTING).format(channel=channel)]
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
    details = [msg.NUDGE_DETAILS[kind] for kind in result.nudges]
    listed = details[0] if len(details) == 1 else ", ".join(details[:-1]) + " and " + details[-1]
    return f"{msg.NUDGE_INTRO.format(details=listed)}\n{msg.NUDGE_OUTRO}"


class StoriesCog(commands.Cog, name=COG_NAME):
    stories = app_commands.Group(
        name="stories",
        description=msg.GROUP_DESCRIPTION,
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.publisher = DiscordPublisher(bot)
        self.service = StoryService(
            store=bot.store,
            clock=bot.clock,
            scheduler=bot.scheduler,
            anonymizer=bot.anonymizer,
            crisis=load_crisis(bot.settings.content_dir),
            publisher=self.publisher,
        )
        self.personal_data = StoriesPersonalData()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(StoryButton)
        self.bot.scheduler.register(self.service.job)
        self.bot.privacy.register(self.personal_data)
        await self.service.recover()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(StoryButton)
        self.bot.scheduler.unregister(POST_JOB)
        self.bot.privacy.unregister(self.personal_data.feature)

    # -- sharing -------------------------------------------------------------------------------

    @app_commands.command(name="share", description=msg.SHARE_DESCRIPTION)
    @app_commands.guild_only()
    async def share(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        await self.service.check_can_share(guild.id, interaction.user.id)
        await interaction.response.send_modal(ShareModal())

    async def on_share_modal(
        self, interaction: discord.Interaction[Bot], modal: ShareModal
    ) -> None:
        guild = _guild(interaction)
        stage = modal.stage.values[0] if modal.stage.values else ""
        if stage not in logic.STAGE_LABELS:
            raise UserFacingError(msg.FIELD_STAGE_PLACEHOLDER + ", please.")
        draft = Draft(
            body=modal.story.value,
            stage=stage,
            takeaway=modal.takeaway.value or None,
            help=modal.help.values[0] if modal.help.values else None,
            watch=modal.company.value or None,
        )
        result = await self.service.submit(
            guild.id, interaction.user.id, draft, draft_id=modal.draft_id
        )
        await self._answer(interaction, result, edit=modal.draft_id is not None)

    async def _answer(
        self, interaction: discord.Interaction[Bot], result: Submitted, *, edit: bool
    ) -> None:
        """The ephemeral answer to a submission: the nudge, or the acknowledgement (and, for
        crisis words, a second private message with support resources)."""
        if result.is_draft:
            text, view = nudge_text(result), nudge_view(result.story)
        else:
            text, view = ack_text(result), ack_view(result.story)
        if edit:
            await interaction.response.edit_message(content=text, view=view)
        else:
            await interaction.response.send_message(text, view=view, ephemeral=True)
        if not result.is_draft and result.story.crisis:
            await interaction.followup.send(
                self.service.crisis_text(result.settings),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
                suppress_embeds=True,
            )

    # -- buttons -------------------------------------------------------------------------------

    async def on_button(
        self, interaction: discord.Interaction[Bot], action: str, public_id: str
    ) -> None:
        guild = _guild(interaction)
        user_id = interaction.user.id
        if action in MODERATOR_ACTIONS and not _is_moderator(interaction):
            raise UserFacingError(msg.MODS_ONLY)
        if action == "report":
            await interaction.response.send_modal(ReportModal(public_id))
        elif action == "edit":
            draft = await self.service.draft(public_id, guild.id, user_id)
            await interaction.response.send_modal(ShareModal(draft))
        elif action == "post":
            draft = await self.service.draft(public_id, guild.id, user_id)
            result = await self.service.submit(
                guild.id, user_id, Draft.of(draft), draft_id=public_id, confirmed=True
            )
            await self._answer(interaction, result, edit=True)
        elif action == "dm":
            added = await self.service.opt_in_dm(public_id, guild.id, user_id)
            base = interaction.message.content if interaction.message else ""
            note = msg.DM_OPTED_IN if added else msg.DM_ALREADY
            await interaction.response.edit_message(content=f"{base}\n\n{note}", view=None)
        elif action == "delete":
            story = await self.service.own(public_id, guild.id, user_id)
            await interaction.response.send_message(
                msg.DELETE_CONFIRM.format(label=label(story)),
                view=confirm_delete_view(story),
                ephemeral=True,
            )
        elif action == "erase":
            await self.service.delete_own(public_id, guild.id, user_id)
            await interaction.response.edit_message(content=msg.DELETED, view=None)
        else:
            await self._moderate(interaction, guild, action, public_id)

    async def _moderate(
        self,
        interaction: discord.Interaction[Bot],
        guild: discord.Guild,
        action: str,
        public_id: str,
    ) -> None:
        moderator = interaction.user.mention
        embeds = [decided(e) for e in interaction.message.embeds] if interaction.message else []
        if action == "approve":
            story = await self.service.approve(public_id, guild.id)
            settings = await self.service.settings(guild.id)
            await interaction.response.edit_message(
                content=msg.QUEUE_APPROVED.format(
                    moderator=moderator, channel=f"<#{settings.channel_id}>"
                ),
                embeds=embeds,
                view=None,
            )
            await self.service.run_now(story.public_id)
        elif action == "reject":
            await interaction.response.send_modal(RejectModal(public_id))
        elif action == "block":
            story, newly = await self.service.block(public_id, guild.id)
            anon = logic.anon_tag(story.author)
            if story.status == "posted":  # from a report: the story stays until removed
                text = msg.BLOCKED_REPLY if newly else msg.ALREADY_BLOCKED
                await interaction.response.send_message(
                    text.format(anon=anon, short=anon.split()[-1]), ephemeral=True
                )
                return
            await interaction.response.edit_message(
                content=msg.QUEUE_BLOCKED.format(anon=anon, moderator=moderator),
                embeds=embeds,
                view=unblock_view(story),
            )
        elif action == "unblock":
            story = await self.service.unblock_story_author(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.QUEUE_UNBLOCKED.format(
                    anon=logic.anon_tag(story.author), moderator=moderator
                ),
                view=None,
            )
        elif action == "remove":
            story = await self.service.remove(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.REPORT_REMOVED.format(label=label(story), moderator=moderator),
                embeds=embeds,
                view=None,
            )
        elif action == "dismiss":
            await self.service.dismiss(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.REPORT_DISMISSED.format(moderator=moderator), embeds=embeds, view=None
            )
        else:
            raise UserFacingError(msg.STORY_GONE)

    async def on_reject_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, note: str
    ) -> None:
        guild = _guild(interaction)
        _, told = await self.service.reject(public_id, guild.id, note)
        template = msg.QUEUE_REJECTED_NOTE if note.strip() else msg.QUEUE_REJECTED
        embeds = [decided(e) for e in interaction.message.embeds] if interaction.message else []
        await interaction.response.edit_message(
            content=template.format(moderator=interaction.user.mention), embeds=embeds, view=None
        )
        if note.strip():
            noted = msg.REJECTED_NOTED if told else msg.REJECTED_NO_DM
        else:
            noted = msg.REJECTED_NO_NOTE
        await interaction.followup.send(msg.REJECTED_REPLY.format(noted=noted), ephemeral=True)

    async def on_report_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, reason: str
    ) -> None:
        guild = _guild(interaction)
        story, settings, report_id = await self.service.report(
            public_id, guild.id, interaction.user.id, reason
        )
        if report_id is None:
            await interaction.response.send_message(msg.REPORT_ALREADY, ephemeral=True)
            return
        await interaction.response.send_message(msg.REPORT_THANKS, ephemeral=True)
        sent = await self.publisher.send_report(story, settings, reason, report_view(story))
        if sent is None:
            await self.publisher.notify_admins(
                guild.id, msg.NO_MOD_CHANNEL_REPORT.format(server=guild.name)
            )
            return
        await self.service.repo.set_report_message(report_id, sent.channel_id, sent.message_id)

    # -- /mystories ----------------------------------------------------------------------------

    @app_commands.command(name="mystories", description=msg.MYSTORIES_DESCRIPTION)
    @app_commands.guild_only()
    async def mystories(self, interaction: discord.Interaction[Bot]) -> None:
        from cogs.stories.render import mine_text

        guild = _guild(interaction)
        stories = await self.service.mine(guild.id, interaction.user.id)
        view = mine_view(stories)
        if view is None:
            await interaction.response.send_message(mine_text(stories), ephemeral=True)
        else:
            await interaction.response.send_message(mine_text(stories), view=view, ephemeral=True)

    # -- /stories ------------------------------------------------------------------------------

    def _check_postable(self, guild: discord.Guild, channel: discord.abc.GuildChannel) -> None:
        perms = channel.permissions_for(guild.me)
        if not (perms.view_channel and perms.send_messages and perms.embed_links):
            raise UserFacingError(msg.CANNOT_POST_IN.format(channel=channel.mention))

    @stories.command(name="settings", description=msg.SETTINGS_DESCRIPTION)
    @app_commands.describe(
        channel="Where stories are posted: a text channel, or a forum (posts tagged by stage)",
        mod_channel="A private channel for moderators: the approval queue and reports",
        approval="Hold every story for a moderator's approval before it is posted",
        links="Allow links in stories (invite links are never allowed)",
        max_delay="Longest random delay before a story appears, in seconds (default 90)",
        cooldown="Minutes a member waits between two stories (default 30)",
        daily_limit="Stories a member may share in 24 hours (default 3)",
        crisis_stories="Stories with crisis words: post as usual, or hold for a moderator",
        crisis_words="Your own crisis phrases, comma-separated (added to the built-in list)",
        crisis_note="One line of your own support info shown with the resources",
    )
    @manager_only
    async def settings_command(
        self,
        interaction: discord.Interaction[Bot],
        channel: discord.TextChannel | discord.ForumChannel | None = None,
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
            changes["crisis_words"] = () if cleared else logic.parse_phrase_list(crisis_words)
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
        if changes:
            await self.service.save_settings(updated)
            log.info("Story settings changed (%s)", ", ".join(sorted(changes)))
        text = self._describe(updated)
        await interaction.response.send_message(
            f"{msg.SETTINGS_SAVED}\n{text}" if changes else text, ephemeral=True
        )

    def _describe(self, s: StorySettings) -> str:
        def where(channel_id: int | None) -> str:
            return f"<#{channel_id}>" if channel_id else msg.NOT_SET

        values = {
            "channel": where(s.channel_id),
            "mod_channel": where(s.mod_channel_id),
            "approval": msg.ON if s.approval else msg.OFF,
            "links": msg.LINKS_ALLOWED if s.links_allowed else msg.LINKS_BLOCKED,
            "delay": s.max_delay_seconds,
            "cooldown": s.cooldown_minutes,
            "daily": s.daily_limit,
            "crisis": msg.CRISIS_POLICIES[s.crisis_policy],
            "words": ", ".join(s.crisis_words) or msg.NONE_WORDS,
            "note": s.crisis_note or msg.NOT_SET,
        }
        lines = [msg.SETTINGS_TITLE, *(line.format(**values) for line in msg.SETTINGS_LINES)]
        return logic.neutralise_mentions("\n".join(lines))[0]

    @stories.command(name="unblock", description=msg.UNBLOCK_DESCRIPTION)
    @app_commands.describe(
        anon="The author's Anon tag as moderators saw it, like 7F3K",
        everyone="Lift every block in this server",
    )
    @manager_only
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
        matched = await self.service.unblock_tag(guild.id, tag)
        if matched == 0:
            raise UserFacingError(msg.UNBLOCK_NOT_FOUND.format(anon=tag))
        if matched > 1:
            raise UserFacingError(msg.UNBLOCK_AMBIGUOUS.format(anon=tag))
        await interaction.response.send_message(
            msg.UNBLOCKED_REPLY.format(anon=tag), ephemeral=True
        )

    @stories.command(name="blocked", description=msg.BLOCKED_DESCRIPTION)
    @manager_only
    async def blocked(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        count, recent = await self.service.block_counts(guild.id)
        await interaction.response.send_message(
            msg.BLOCKED_COUNT.format(count=count, recent=recent), ephemeral=True
        )
