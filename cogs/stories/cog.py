"""/share, /mystories, /stories: thin handlers that call the service and put its outcome into
words. Button and modal callbacks (cogs/stories/views.py) land here too."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.errors import UserFacingError
from bot.seams import MY_STORIES_ITEMS, STORIES_READER, Seams
from bot.tree import UNKNOWN_INTERACTION
from bot.ui import POST_EMBEDS, can_post, is_manager
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.comeback import Comebacks
from cogs.stories.comeback_jobs import FollowerDmJob, UpdateJob
from cogs.stories.comeback_posting import UpdatePublisher
from cogs.stories.comeback_views import UpdateButton, UpdateModal, UpdateNoteModal, mine_buttons
from cogs.stories.content import load_crisis
from cogs.stories.feature import FEATURE as DECLARED
from cogs.stories.moderation import Moderation
from cogs.stories.personal_data import StoriesPersonalData
from cogs.stories.posting import DiscordPublisher
from cogs.stories.reader import StoriesReader
from cogs.stories.render import (
    ack_text,
    decided,
    deleted_text,
    label,
    mine_text,
    nudge_text,
    unconfirmed_text,
)
from cogs.stories.repository import POST_JOB, Story, StorySettings
from cogs.stories.service import StoryService
from cogs.stories.sharing import Draft, Submitted
from cogs.stories.update_rows import FOLLOWER_DM_JOB, UPDATE_JOB
from cogs.stories.views import (
    COG_NAME,
    NoteModal,
    ShareModal,
    StoryButton,
    ack_view,
    mine_view,
    nudge_view,
    report_blocked_view,
    unblock_view,
    unconfirmed_view,
)

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

# Discord's "interaction has already been acknowledged".
ALREADY_ACKNOWLEDGED = 40060

MODERATOR_ACTIONS = frozenset({"approve", "reject", "block", "unblock", "remove", "dismiss"})


def _guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(msg.SERVER_ONLY)
    return interaction.guild


def _is_moderator(
    interaction: discord.Interaction[Bot], guild: discord.Guild, settings: StorySettings
) -> bool:
    """Manage Server, or Manage Messages where the stories are: the stories channel and the
    moderators' channel (each that is set and exists), wherever the button itself is."""
    if is_manager(interaction):
        return True
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    places = [guild.get_channel(c) for c in (settings.channel_id, settings.mod_channel_id) if c]
    found = [p for p in places if p is not None]
    return bool(found) and all(p.permissions_for(member).manage_messages for p in found)


def _channel_usable(guild: discord.Guild, channel_id: int, *, forum_ok: bool) -> bool:
    """Whether the bot can post stories in `channel_id` now (the cache: no request)."""
    channel = guild.get_channel(channel_id)
    kinds = (discord.TextChannel, discord.ForumChannel) if forum_ok else (discord.TextChannel,)
    if not isinstance(channel, kinds):
        return False
    return can_post(channel, POST_EMBEDS)


def _mine_extras(stories: Sequence[Story], seams: Seams) -> list[discord.ui.Item[Any]]:
    """Under /mystories: "Update N" for each posted story (the comeback), then other
    features' buttons (encouragement's digest switches)."""
    numbered = [(n, s.public_id) for n, s in enumerate(stories, start=1) if s.status == "posted"]
    return [*mine_buttons(numbered), *seams.items(MY_STORIES_ITEMS)]


class StoriesCog(commands.Cog, name=COG_NAME):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.publisher = DiscordPublisher(ServiceDeps.of(bot), bot.seams)
        self.service = StoryService(
            store=bot.store,
            clock=bot.clock,
            scheduler=bot.scheduler,
            anonymizer=bot.anonymizer,
            crisis=load_crisis(bot.settings.content_dir),
            publisher=self.publisher,
        )
        self.moderation = Moderation(self.service)
        self.personal_data = StoriesPersonalData(self.service)
        # What other features may read about a story (encouragement), through the core.
        self.reader = StoriesReader(bot.store, bot.anonymizer, self.service)
        # The comeback (a story's update): its own handlers (cogs/stories/comeback_cog.py).
        self.comebacks = Comebacks(self.service, UpdatePublisher(ServiceDeps.of(bot)))

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(StoryButton, UpdateButton)
        self.bot.modals.add(ShareModal, NoteModal, UpdateModal, UpdateNoteModal)
        self.bot.scheduler.register(self.service.job)
        self.bot.scheduler.register(UpdateJob(self.comebacks))
        self.bot.scheduler.register(FollowerDmJob(self.comebacks))
        self.bot.privacy.register(self.personal_data)
        self.bot.setup_pages.add(DECLARED, self.service)
        await self.bot.seams.provide(STORIES_READER, self.reader)
        await self.service.expire_unconfirmed_on_start()
        await self.service.give_up_lost_on_start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(StoryButton, UpdateButton)
        self.bot.modals.remove(ShareModal, NoteModal, UpdateModal, UpdateNoteModal)
        self.bot.scheduler.unregister(POST_JOB)
        self.bot.scheduler.unregister(UPDATE_JOB)
        self.bot.scheduler.unregister(FOLLOWER_DM_JOB)
        self.bot.privacy.unregister(self.personal_data.feature)
        self.bot.setup_pages.remove(DECLARED)
        self.bot.seams.withdraw(STORIES_READER)

    # -- sharing -------------------------------------------------------------------------------

    @app_commands.command(name="share", description=msg.SHARE_DESCRIPTION)
    @app_commands.guild_only()
    async def share(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        settings = await self.service.sharing_settings(guild.id)
        if not await self._channels_usable(interaction, guild, settings):
            return
        unconfirmed = await self.service.unconfirmed_draft(guild.id, interaction.user.id)
        if unconfirmed is not None:
            await interaction.response.send_message(
                unconfirmed_text(unconfirmed),
                view=unconfirmed_view(unconfirmed),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        await self.service.check_can_share(guild.id, interaction.user.id)
        await interaction.response.send_modal(ShareModal())

    async def _channels_usable(
        self, interaction: discord.Interaction[Bot], guild: discord.Guild, settings: StorySettings
    ) -> bool:
        """Whether stories can go where they are set to go; if not, the member hears kindly that
        stories are not set up right now (nothing is stored) and the admins are told once."""
        wanted = [(settings.channel_id, True)]
        if settings.holds_for_review:  # every story goes to the moderators first
            wanted.append((settings.mod_channel_id, False))
        for channel_id, forum_ok in wanted:
            if channel_id is not None and not _channel_usable(guild, channel_id, forum_ok=forum_ok):
                await interaction.response.send_message(msg.NOT_AVAILABLE_NOW, ephemeral=True)
                await self.service.channel_unusable(guild.id, channel_id)
                return False
        return True

    async def on_share_modal(
        self, interaction: discord.Interaction[Bot], modal: ShareModal
    ) -> None:
        guild = _guild(interaction)
        settings = await self.service.sharing_settings(guild.id)
        if not await self._channels_usable(interaction, guild, settings):
            return
        # Discord requires the stage; should it ever be missing, the story is not lost for it.
        stage = modal.stage.values[0] if modal.stage.values else logic.UNSPECIFIED_STAGE
        if stage not in logic.STAGE_LABELS:
            stage = logic.UNSPECIFIED_STAGE
        draft = Draft(
            body=modal.story.value,
            stage=stage,
            takeaway=modal.takeaway.value or None,
            help=modal.help.values[0] if modal.help.values else None,
            watch=modal.company.value or None,
        )
        result = await self.service.submit(
            guild.id,
            interaction.user.id,
            draft,
            draft_id=modal.draft_id,
            submission_key=modal.custom_id,  # one form (one opening of the modal), one story
        )
        await self._answer(interaction, result, edit=modal.draft_id is not None)

    async def _answer(
        self, interaction: discord.Interaction[Bot], result: Submitted, *, edit: bool
    ) -> None:
        """The ephemeral answer to a submission: the nudge, or the acknowledgement (and, for
        crisis words, a second private message with support resources).

        A story goes out only once its acknowledgement reached Discord (`confirm`). If Discord
        refuses it as too late, the member saw "interaction failed", not "thank you": the story
        is kept as a draft their next /share offers back (`unconfirm`), never posted unseen."""
        if result.is_draft:
            too_long = logic.TOO_LONG in result.nudges
            too_short = logic.TOO_SHORT in result.nudges
            text = nudge_text(result)
            view = nudge_view(result.story, too_long=too_long, can_post=not too_short)
        else:
            text, view = ack_text(result), ack_view(result.story)
        try:
            if edit:
                await interaction.response.edit_message(content=text, view=view)
            else:
                await interaction.response.send_message(text, view=view, ephemeral=True)
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_INTERACTION and not result.is_draft:
                await self.service.unconfirm(result.story)
                log.info("A story's acknowledgement came too late for Discord; kept as a draft")
            raise
        except discord.HTTPException as exc:
            # Discord stored the answer, then failed (a 5xx): discord.py's retry then finds the
            # interaction answered. The member saw the thank-you, so the story goes out.
            if exc.code != ALREADY_ACKNOWLEDGED or result.is_draft:
                raise
            log.info("A story's acknowledgement reached Discord despite an error")
        if result.is_draft:
            return
        await self.service.confirm(result.story, result.settings)
        if result.story.crisis:
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
        if action in MODERATOR_ACTIONS:
            settings = await self.service.settings(guild.id)
            if not _is_moderator(interaction, guild, settings):
                raise UserFacingError(msg.MODS_ONLY)
        if action == "report":
            await interaction.response.send_modal(NoteModal.report(public_id))
        elif action == "edit":
            draft = await self.service.draft(public_id, guild.id, user_id)
            await interaction.response.send_modal(ShareModal(draft))
        elif action == "post":
            draft = await self.service.draft(public_id, guild.id, user_id)
            settings = await self.service.sharing_settings(guild.id)
            if not await self._channels_usable(interaction, guild, settings):
                return
            result = await self.service.submit(
                guild.id, user_id, Draft.of(draft), draft_id=public_id, confirmed=True
            )
            await self._answer(interaction, result, edit=True)
        elif action == "discard":
            await self.service.discard_draft(public_id, guild.id, user_id)
            await interaction.response.edit_message(content=msg.DISCARDED, view=None)
        elif action == "dm":
            added = await self.service.opt_in_dm(public_id, guild.id, user_id)
            base = interaction.message.content if interaction.message else ""
            note = msg.DM_OPTED_IN if added else msg.DM_ALREADY
            await interaction.response.edit_message(content=f"{base}\n\n{note}", view=None)
        elif action == "delete":
            story = await self.service.delete_own(public_id, guild.id, user_id)
            left = await self.service.mine(guild.id, user_id)
            await interaction.response.edit_message(
                content=f"{deleted_text(story)}\n\n{mine_text(left)}",
                view=mine_view(left, _mine_extras(left, self.bot.seams)),
            )
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
            story, occurrence = await self.moderation.approve(public_id, guild.id)
            settings = await self.service.settings(guild.id)
            await interaction.response.edit_message(
                content=msg.QUEUE_APPROVED.format(
                    moderator=moderator, channel=f"<#{settings.channel_id}>"
                ),
                embeds=embeds,
                view=None,
            )
            await self.service.run_now(story.public_id, occurrence)
        elif action == "reject":
            await interaction.response.send_modal(NoteModal.reject(public_id))
        elif action == "block":
            story, newly = await self.moderation.block(public_id, guild.id)
            anon = logic.anon_tag(story.author)
            if story.status == "posted":  # from a report: the story stays until removed
                # Every moderator sees it was handled (and the Block button goes); the one who
                # pressed it also hears how to undo it.
                await interaction.response.edit_message(
                    content=msg.REPORT_BLOCKED.format(moderator=moderator, anon=anon),
                    embeds=embeds,
                    view=report_blocked_view(story),
                )
                text = msg.BLOCKED_REPLY if newly else msg.ALREADY_BLOCKED
                await interaction.followup.send(
                    text.format(anon=anon, short=anon.split()[-1]), ephemeral=True
                )
                return
            await interaction.response.edit_message(
                content=msg.QUEUE_BLOCKED.format(anon=anon, moderator=moderator),
                embeds=embeds,
                view=unblock_view(story),
            )
        elif action == "unblock":
            story = await self.moderation.unblock_story_author(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.QUEUE_UNBLOCKED.format(
                    anon=logic.anon_tag(story.author), moderator=moderator
                ),
                view=None,
            )
        elif action == "remove":
            story = await self.moderation.remove(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.REPORT_REMOVED.format(label=label(story), moderator=moderator),
                embeds=embeds,
                view=None,
            )
        elif action == "dismiss":
            await self.moderation.dismiss(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.REPORT_DISMISSED.format(moderator=moderator), embeds=embeds, view=None
            )
        else:
            raise UserFacingError(msg.STORY_GONE)

    async def on_reject_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, note: str
    ) -> None:
        guild = _guild(interaction)
        # The form is answered by its custom_id (after a restart too): check as the button did.
        settings = await self.service.settings(guild.id)
        if not _is_moderator(interaction, guild, settings):
            raise UserFacingError(msg.MODS_ONLY)
        await self.moderation.reject(public_id, guild.id, note)
        template = msg.QUEUE_REJECTED_NOTE if note.strip() else msg.QUEUE_REJECTED
        embeds = [decided(e) for e in interaction.message.embeds] if interaction.message else []
        await interaction.response.edit_message(
            content=template.format(moderator=interaction.user.mention), embeds=embeds, view=None
        )
        # The same words whether or not the author asked for DMs (B4): that stays theirs.
        noted = msg.REJECTED_NOTED if note.strip() else msg.REJECTED_NO_NOTE
        await interaction.followup.send(msg.REJECTED_REPLY.format(noted=noted), ephemeral=True)

    async def on_report_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, reason: str
    ) -> None:
        guild = _guild(interaction)
        story, settings, report_id = await self.moderation.report(
            public_id, guild.id, interaction.user.id, reason
        )
        if report_id is None:
            await interaction.response.send_message(msg.REPORT_ALREADY, ephemeral=True)
            return
        await interaction.response.send_message(msg.REPORT_THANKS, ephemeral=True)
        await self.moderation.forward_report(story, settings, report_id, reason)

    # -- /mystories ----------------------------------------------------------------------------

    @app_commands.command(name="mystories", description=msg.MYSTORIES_DESCRIPTION)
    @app_commands.guild_only()
    async def mystories(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        stories = await self.service.mine(guild.id, interaction.user.id)
        view = mine_view(stories, _mine_extras(stories, self.bot.seams))
        if view is None:
            await interaction.response.send_message(mine_text(stories), ephemeral=True)
        else:
            await interaction.response.send_message(mine_text(stories), view=view, ephemeral=True)
