"""/checkin: a day's applications, networking and skills, typed as options or in a form."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import UserFacingError
from cogs.streaks import logic, render
from cogs.streaks import messages as m
from cogs.streaks.cog_base import StreaksCogBase, _guild_id
from cogs.streaks.repository import Counts
from cogs.streaks.service import StreakRefusal
from cogs.streaks.views import CheckinModal

if TYPE_CHECKING:
    from bot.app import Bot


COUNT_OPTIONS = ("applications", "networking", "skills")


def _counts(values: dict[str, int | None], note: str | None) -> Counts:
    """Validated counts; one kind sentence naming the first bad option, nothing saved."""
    checked: dict[str, int | None] = {}
    for name in COUNT_OPTIONS:
        value = values.get(name)
        try:
            checked[name] = logic.validate_count(name, value)
        except logic.CheckinError:
            raise UserFacingError(m.COUNT_REFUSED.format(option=name, value=value)) from None
    try:
        cleaned = logic.clean_note(note)
    except logic.CheckinError:
        raise UserFacingError(m.NOTE_REFUSED.format(length=len((note or "").strip()))) from None
    return Counts(checked["applications"], checked["networking"], checked["skills"], cleaned)


def _typed_counts(values: dict[str, str]) -> Counts:
    parsed: dict[str, int | None] = {}
    for name in COUNT_OPTIONS:
        raw = values.get(name, "")
        try:
            parsed[name] = logic.parse_count(name, raw)
        except logic.CheckinError:
            raise UserFacingError(
                m.COUNT_REFUSED.format(option=name, value=raw.strip()[:20])
            ) from None
    return _counts(parsed, values.get("note"))


class CheckinCommands(StreaksCogBase):
    """The /checkin command of StreaksCog."""

    @app_commands.command(name="checkin", description=m.CHECKIN_DESCRIPTION)
    @app_commands.guild_only()
    @app_commands.describe(
        applications="Applications you sent (0–100)",
        networking="People you reached out to (0–100)",
        skills="Skill-building sessions (0–100)",
        note="A note for yourself, up to 500 characters",
        day="today (default), or yesterday if you forgot to check in",
    )
    @app_commands.choices(
        day=[
            app_commands.Choice(name="today", value="today"),
            app_commands.Choice(name="yesterday", value="yesterday"),
        ]
    )
    async def checkin(
        self,
        interaction: discord.Interaction[Bot],
        applications: int | None = None,
        networking: int | None = None,
        skills: int | None = None,
        note: str | None = None,
        day: app_commands.Choice[str] | None = None,
    ) -> None:
        _guild_id(interaction)
        yesterday = day is not None and day.value == "yesterday"
        counts = _counts(
            {"applications": applications, "networking": networking, "skills": skills}, note
        )
        if counts.empty and note is not None:
            # A blank note is no note. With nothing else given, the member meant to write one:
            # say so rather than open an empty form as if the note had never been typed.
            raise UserFacingError(m.NOTE_BLANK)
        if counts.empty:
            await interaction.response.send_modal(CheckinModal(yesterday=yesterday))
            return
        await self._record(interaction, counts, yesterday)

    async def _modal_checkin(
        self, interaction: discord.Interaction[Bot], values: dict[str, str], yesterday: bool
    ) -> None:
        await self._record(interaction, _typed_counts(values), yesterday)

    async def _record(
        self, interaction: discord.Interaction[Bot], counts: Counts, yesterday: bool
    ) -> None:
        guild_id = _guild_id(interaction)
        channel_id = await self._postable_channel(guild_id)
        try:
            outcome = await self.service.checkin(
                guild_id,
                interaction.user.id,
                counts,
                yesterday=yesterday,
                celebrations_possible=channel_id is not None,
            )
        except StreakRefusal as refusal:
            day = refusal.details.get("day")
            label = render.day_label(day) if isinstance(day, date) else m.THAT_DAY
            raise UserFacingError(m.ALREADY_COUNTED.format(day=label)) from None
        mention = f"<#{channel_id}>" if channel_id else None
        await interaction.response.send_message(
            render.checkin_reply(outcome, mention, self.rng),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
