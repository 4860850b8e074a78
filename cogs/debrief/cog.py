"""/debrief: thin handlers over DebriefService. Every answer is private (ephemeral), in a server
or in DMs with the bot; every click and form acts for whoever made it, on their own journal."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.crisis import load_crisis
from bot.deps import ServiceDeps
from bot.member_settings import ZoneFollower
from bot.seams import STREAK_SHOW_LINES
from cogs.debrief import logic, render
from cogs.debrief import messages as m
from cogs.debrief.jobs import REMINDER_JOB, ZONE_JOB, ReminderJob
from cogs.debrief.privacy import DebriefPrivacy
from cogs.debrief.service import DebriefService, Saved
from cogs.debrief.views import (
    BUTTON_CLASSES,
    MODAL_CLASSES,
    FeedbackModal,
    RemindModal,
    StartModal,
    ThoughtsModal,
    delete_view,
    entry_view,
    list_view,
    reminder_view,
)

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()


class DebriefCog(commands.Cog, name="Debrief"):
    debrief = app_commands.Group(name="debrief", description=m.GROUP)

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = DebriefService(ServiceDeps.of(bot), load_crisis(bot.settings.content_dir))
        self.privacy = DebriefPrivacy(self.service.seal)
        self.reminders = ReminderJob(
            self.service.repo, self.service.seal, bot.sender, bot.clock, reminder_view
        )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*BUTTON_CLASSES)
        self.bot.modals.add(*MODAL_CLASSES)
        self.bot.privacy.register(self.privacy)
        self.bot.scheduler.register(self.reminders)
        # Waiting reminders follow the member to a new zone (still 09:00 their time).
        self.bot.scheduler.events.subscribe(
            ZoneFollower(ZONE_JOB, self.service.follow_zone, self.bot.anonymizer)
        )
        await self.bot.seams.provide(STREAK_SHOW_LINES, self.service)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*BUTTON_CLASSES)
        self.bot.modals.remove(*MODAL_CLASSES)
        self.bot.privacy.unregister(self.privacy.feature)
        self.bot.scheduler.unregister(REMINDER_JOB)
        self.bot.scheduler.events.unsubscribe(ZONE_JOB)
        self.bot.seams.withdraw(STREAK_SHOW_LINES)

    # -- commands -------------------------------------------------------------------------------

    @debrief.command(name="new", description=m.NEW)
    async def new(self, interaction: discord.Interaction[Bot]) -> None:
        await interaction.response.send_modal(StartModal())

    @debrief.command(name="list", description=m.LIST)
    async def list_(self, interaction: discord.Interaction[Bot]) -> None:
        await self._list(interaction, 1, edit=False)

    @debrief.command(name="show", description=m.SHOW)
    @app_commands.describe(number=m.SHOW_NUMBER)
    async def show(
        self, interaction: discord.Interaction[Bot], number: app_commands.Range[int, 1, 9999] = 1
    ) -> None:
        await self._show(interaction, number, edit=False)

    @debrief.command(name="delete", description=m.DELETE)
    @app_commands.describe(number=m.DELETE_NUMBER)
    async def delete(
        self, interaction: discord.Interaction[Bot], number: app_commands.Range[int, 1, 9999]
    ) -> None:
        entry, _ = await self.service.numbered(interaction.user.id, number)
        text = m.DELETE_CONFIRM.format(
            title=entry.debrief.title(), day=render.day_label(entry.debrief)
        )
        await interaction.response.send_message(
            text, view=delete_view(entry.entry_id), ephemeral=True, allowed_mentions=NONE
        )

    @debrief.command(name="patterns", description=m.PATTERNS)
    async def patterns(self, interaction: discord.Interaction[Bot]) -> None:
        found = await self.service.patterns(interaction.user.id)
        await self._reply(interaction, render.patterns_text(found))

    @debrief.command(name="counts", description=m.COUNTS)
    @app_commands.describe(in_streak=m.COUNTS_IN_STREAK)
    async def counts(
        self, interaction: discord.Interaction[Bot], in_streak: bool | None = None
    ) -> None:
        counts = await self.service.counts(interaction.user.id, in_streak)
        await self._reply(interaction, render.counts_text(counts))

    # -- forms ----------------------------------------------------------------------------------

    async def on_start(
        self, interaction: discord.Interaction[Bot], role: str, company: str, stage: str, day: str
    ) -> None:
        saved = await self.service.start(interaction.user.id, role, company, stage, day)
        d = saved.entry.debrief
        text = m.SAVED_STEP_ONE.format(
            title=d.title(), stage=d.stage_label, day=render.day_label(d)
        )
        await self._saved(interaction, saved, text)

    async def on_thoughts(
        self,
        interaction: discord.Interaction[Bot],
        entry_id: str,
        kinds: list[str],
        answers: dict[str, str],
    ) -> None:
        saved = await self.service.add_answers(interaction.user.id, entry_id, kinds, answers)
        await self._saved(
            interaction, saved, m.SAVED_STEP_TWO.format(title=saved.entry.debrief.title())
        )

    async def _saved(self, interaction: discord.Interaction[Bot], saved: Saved, text: str) -> None:
        view = entry_view(saved.entry.entry_id, saved.entry.debrief.has_answers)
        await interaction.response.send_message(
            text, view=view, ephemeral=True, allowed_mentions=NONE
        )
        if saved.crisis is not None:
            await interaction.followup.send(saved.crisis, ephemeral=True, allowed_mentions=NONE)

    async def on_feedback(
        self, interaction: discord.Interaction[Bot], entry_id: str, name: str, tone: str
    ) -> None:
        draft = await self.service.feedback_draft(interaction.user.id, entry_id, name, tone)
        tone_word = logic.TONE_LABELS.get(tone, "").lower()
        await self._reply(interaction, m.FEEDBACK_DRAFT.format(tone=tone_word, draft=draft))

    async def on_remind(
        self, interaction: discord.Interaction[Bot], entry_id: str, days: str, at: str
    ) -> None:
        entry = await self.service.entry(interaction.user.id, entry_id)
        done = await self.service.set_reminder(interaction.user.id, entry_id, days, at)
        zone = m.ZONE_OWN.format(zone=done.zone) if done.own_zone else m.ZONE_DEFAULT
        text = m.REMINDER_SET.format(
            when=discord.utils.format_dt(done.due, "F"),
            relative=discord.utils.format_dt(done.due, "R"),
            zone_note=zone,
            title=entry.debrief.title(),
        )
        await self._reply(interaction, text)

    # -- buttons --------------------------------------------------------------------------------

    async def on_entry_button(
        self, interaction: discord.Interaction[Bot], action: str, entry_id: str
    ) -> None:
        if action == "keep":
            await interaction.response.edit_message(content=m.KEPT, view=None, embed=None)
            return
        if action == "erase":
            await self.service.delete(interaction.user.id, entry_id)
            await interaction.response.edit_message(content=m.DELETED, view=None, embed=None)
            return
        entry = await self.service.entry(interaction.user.id, entry_id)  # only the owner's
        if action == "thoughts":
            await interaction.response.send_modal(ThoughtsModal(entry_id, entry.debrief))
        elif action == "feedback":
            await interaction.response.send_modal(
                FeedbackModal(entry_id, entry.debrief.interviewer)
            )
        elif action == "remind":
            await interaction.response.send_modal(RemindModal(entry_id))
        else:
            text = m.DELETE_CONFIRM.format(
                title=entry.debrief.title(), day=render.day_label(entry.debrief)
            )
            await interaction.response.send_message(
                text, view=delete_view(entry_id), ephemeral=True, allowed_mentions=NONE
            )

    async def on_page(self, interaction: discord.Interaction[Bot], what: str, page: int) -> None:
        if what == "list":
            await self._list(interaction, page, edit=True)
        else:
            await self._show(interaction, page, edit=True)

    async def on_reminder_answer(
        self,
        interaction: discord.Interaction[Bot],
        reminder_id: str,
        answer: Literal["heard", "no_answer", "stop"],
    ) -> None:
        text = await self.service.answer(interaction.user.id, reminder_id, answer)
        before = interaction.message.content if interaction.message is not None else ""
        await interaction.response.edit_message(
            content=f"{before}\n\n{text}"[:2000], view=None, allowed_mentions=NONE
        )

    # -- the notice for a reminder that could not be delivered ----------------------------------

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction[Bot], command: object
    ) -> None:
        """Tell a member, once, that a reminder DM could not reach them (DMs closed)."""
        if interaction.response.type is discord.InteractionResponseType.modal:
            return  # a form has no message to follow up on: the next command tells them
        if await self.service.take_notice(interaction.user.id):
            try:
                await interaction.followup.send(
                    m.DMS_CLOSED_NOTICE, ephemeral=True, allowed_mentions=NONE
                )
            except discord.HTTPException as exc:
                log.info("Could not deliver the reminder notice (HTTP %s)", exc.status)

    # -- shared ---------------------------------------------------------------------------------

    async def _reply(self, interaction: discord.Interaction[Bot], text: str) -> None:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    async def _list(self, interaction: discord.Interaction[Bot], page: int, *, edit: bool) -> None:
        journal = await self.service.journal(interaction.user.id)
        if not journal:
            await self._reply(interaction, m.EMPTY)
            return
        text, page, pages = render.list_page(journal, page)
        view = list_view(page, pages)
        if edit:
            await interaction.response.edit_message(content=text, view=view)
        elif view is None:
            await self._reply(interaction, text)
        else:
            await interaction.response.send_message(
                text, view=view, ephemeral=True, allowed_mentions=NONE
            )

    async def _show(
        self, interaction: discord.Interaction[Bot], number: int, *, edit: bool
    ) -> None:
        entry, count = await self.service.numbered(interaction.user.id, number)
        reminder = (await self.service.reminders(interaction.user.id)).get(entry.entry_id)
        embed = render.entry_embed(entry, number, count, reminder)
        view = entry_view(entry.entry_id, entry.debrief.has_answers, number, count)
        if edit:
            await interaction.response.edit_message(content=None, embed=embed, view=view)
        else:
            await interaction.response.send_message(
                embed=embed, view=view, ephemeral=True, allowed_mentions=NONE
            )
