"""/comeback and the comeback's buttons and forms: thin handlers that call the service
(cogs/stories/comeback.py) and put its outcome into words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from cogs.stories import comeback_logic as cb
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.cog import _guild, _is_moderator
from cogs.stories.comeback import Comebacks, UpdateForm, UpdateSubmitted
from cogs.stories.comeback_moderation import UpdateModeration
from cogs.stories.comeback_views import (
    COG_NAME,
    EDIT,
    NEW,
    UpdateModal,
    UpdateNoteModal,
    nudge_view,
    updates_view,
)
from cogs.stories.render import decided, label, when_text
from cogs.stories.service import StoryService
from cogs.stories.update_rows import Update

if TYPE_CHECKING:
    from bot.app import Bot

MODERATOR_ACTIONS = frozenset({"approve", "reject", "remove", "dismiss"})
NONE = discord.AllowedMentions.none()


def ack_text(result: UpdateSubmitted) -> str:
    if result.review:
        lines = [msg.CB_ACK_REVIEW]
    else:
        lines = [msg.CB_ACK_POSTING.format(when=when_text(result.settings.max_delay_seconds))]
        if result.card:
            lines.append(msg.CB_ACK_CARD)
    lines.append(msg.CB_ACK_FOOTER)
    return "\n".join(lines)


def nudge_text(result: UpdateSubmitted) -> str:
    details = [msg.NUDGE_DETAILS[k] for k in result.nudges if k in msg.NUDGE_DETAILS]
    listed = details[0] if len(details) == 1 else f"{', '.join(details[:-1])} and {details[-1]}"
    return msg.CB_NUDGE.format(details=listed)


def updates_text(title: str, updates: Sequence[Update]) -> str:
    lines = [msg.CB_UPDATES_TITLE.format(label=title)]
    if not updates:
        lines.append(msg.CB_UPDATES_NONE)
    for n, update in enumerate(updates, start=1):
        kind = cb.KIND_LABELS.get(update.kind, "")
        status = msg.CB_STATUS.get(update.status, update.status)
        lines.append(msg.CB_UPDATES_LINE.format(n=n, kind=kind, status=status))
        if update.status == "rejected" and update.decision_note:
            note = logic.sanitise(update.decision_note, limit=300, links_allowed=False).text
            lines.append(msg.CB_UPDATES_NOTE.format(note=note))
    return "\n".join(lines)[:2000]


class ComebackCog(commands.Cog, name=COG_NAME):
    """Built by the stories cog (cogs/stories/cog.py), which registers its buttons, forms and
    jobs with the Bot; this one never holds the Bot."""

    def __init__(self, stories: StoryService, service: Comebacks) -> None:
        self.stories = stories
        self.service = service
        self.moderation = UpdateModeration(service)

    @app_commands.command(name="comeback", description=msg.COMEBACK_DESCRIPTION)
    @app_commands.guild_only()
    async def comeback(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _guild(interaction)
        if interaction.channel_id is None:
            raise UserFacingError(msg.CB_OUTSIDE_THREAD)
        story = await self.service.story_in_thread(
            interaction.channel_id, guild.id, interaction.user.id
        )
        await interaction.response.send_modal(UpdateModal(NEW, story.public_id))

    # -- the form -------------------------------------------------------------------------------

    async def on_update_modal(
        self, interaction: discord.Interaction[Bot], modal: UpdateModal
    ) -> None:
        guild = _guild(interaction)
        form = UpdateForm(modal.text.value, modal.chosen_kind, modal.wants_card)
        new = modal.mode == NEW
        result = await self.service.submit(
            guild.id,
            interaction.user.id,
            form,
            story_id=modal.public_id if new else None,
            update_id=None if new else modal.public_id,
            submission_key=modal.custom_id,
        )
        await self._answer(interaction, result)

    async def _answer(self, interaction: discord.Interaction[Bot], result: UpdateSubmitted) -> None:
        if result.nudges:
            await interaction.response.send_message(
                nudge_text(result), view=nudge_view(result.update), ephemeral=True
            )
            return
        await interaction.response.send_message(ack_text(result), ephemeral=True)
        if result.update.crisis:
            await interaction.followup.send(
                self.stories.crisis_text(result.settings),
                ephemeral=True,
                allowed_mentions=NONE,
                suppress_embeds=True,
            )

    # -- buttons --------------------------------------------------------------------------------

    async def on_update_button(
        self, interaction: discord.Interaction[Bot], action: str, public_id: str
    ) -> None:
        guild = _guild(interaction)
        user_id = interaction.user.id
        if action in MODERATOR_ACTIONS:
            settings = await self.stories.settings(guild.id)
            if not _is_moderator(interaction, guild, settings):
                raise UserFacingError(msg.MODS_ONLY)
            await self._moderate(interaction, guild, action, public_id)
        elif action == "follow":
            story, following = await self.service.toggle_follow(public_id, guild.id, user_id)
            if following is None:
                text = msg.FOLLOW_OWN
            else:
                text = (msg.FOLLOWING if following else msg.UNFOLLOWED).format(label=label(story))
            await interaction.response.send_message(text, ephemeral=True)
        elif action == "new":
            story = await self.service.own_story(public_id, guild.id, user_id)
            await interaction.response.send_modal(UpdateModal(NEW, story.public_id))
        elif action == "list":
            story = await self.service.own_story(public_id, guild.id, user_id)
            updates = await self.service.updates_of(story)
            await interaction.response.send_message(
                updates_text(label(story), updates),
                view=updates_view(story.public_id, updates),
                ephemeral=True,
            )
        elif action == "edit":
            update = await self.service.own_update(public_id, guild.id, user_id)
            if update.status == "removed":  # the form would be refused: say so now
                raise UserFacingError(msg.CB_REMOVED_NO_EDIT)
            await interaction.response.send_modal(UpdateModal(EDIT, update.public_id, update))
        elif action == "post":
            result = await self.service.post_anyway(public_id, guild.id, user_id)
            await self._answer(interaction, result)
        elif action in ("discard", "delete"):
            await self.service.delete_own(public_id, guild.id, user_id)
            text = msg.CB_DISCARDED if action == "discard" else msg.CB_DELETED
            await interaction.response.send_message(text, ephemeral=True)
        elif action == "report":
            await interaction.response.send_modal(UpdateNoteModal.report(public_id))
        else:
            raise UserFacingError(msg.CB_GONE)

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
            occurrence = await self.moderation.approve(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.CB_QUEUE_APPROVED.format(moderator=moderator), embeds=embeds, view=None
            )
            await self.moderation.post_approved(public_id, occurrence)
        elif action == "reject":  # an optional note first, as for a story
            await self.service.update(public_id, guild.id)  # a forged id: refused now
            await interaction.response.send_modal(UpdateNoteModal.reject(public_id))
        elif action == "remove":
            await self.moderation.remove(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.CB_REPORT_REMOVED.format(moderator=moderator), embeds=embeds, view=None
            )
        else:
            await self.moderation.dismiss(public_id, guild.id)
            await interaction.response.edit_message(
                content=msg.REPORT_DISMISSED.format(moderator=moderator), embeds=embeds, view=None
            )

    async def on_update_reject(
        self, interaction: discord.Interaction[Bot], public_id: str, note: str
    ) -> None:
        guild = _guild(interaction)
        # The form is answered by its custom_id (after a restart too): check as the button did.
        settings = await self.stories.settings(guild.id)
        if not _is_moderator(interaction, guild, settings):
            raise UserFacingError(msg.MODS_ONLY)
        await self.moderation.reject(public_id, guild.id, note)
        noted = bool(cb.cleaned(note))
        template = msg.CB_QUEUE_REJECTED_NOTE if noted else msg.CB_QUEUE_REJECTED
        embeds = [decided(e) for e in interaction.message.embeds] if interaction.message else []
        await interaction.response.edit_message(
            content=template.format(moderator=interaction.user.mention), embeds=embeds, view=None
        )
        # The same words whether or not the author asked for DMs: that stays theirs.
        told = msg.REJECTED_NOTED if noted else msg.REJECTED_NO_NOTE
        await interaction.followup.send(msg.CB_REJECTED_REPLY.format(noted=told), ephemeral=True)

    async def on_update_report(
        self, interaction: discord.Interaction[Bot], public_id: str, reason: str
    ) -> None:
        guild = _guild(interaction)
        update, report_id = await self.moderation.report(
            public_id, guild.id, interaction.user.id, reason
        )
        if report_id is None:
            await interaction.response.send_message(msg.REPORT_ALREADY, ephemeral=True)
            return
        await interaction.response.send_message(msg.REPORT_THANKS, ephemeral=True)
        await self.moderation.forward(update, reason.strip() or None, report_id)
