"""/checkin and /streak: thin handlers that validate, call the service and put it into words.

/streak is here; /checkin in checkin_commands.py; the wiring they share in cog_base.py."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.guild_settings import accountability_channel
from bot.member_settings import resolve_timezone
from bot.seams import STREAK_SHOW_LINES
from bot.timekeeping import DaySet, InvalidInput
from bot.ui import choices, discord_timestamp, safe_autocomplete
from cogs.streaks import heatmap, logic, render
from cogs.streaks import messages as m
from cogs.streaks.checkin_commands import CheckinCommands
from cogs.streaks.cog_base import _guild_id, streak_group
from cogs.streaks.service import StreakRefusal
from cogs.streaks.views import settings_view

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


REST_CHOICES = ("none", "weekends", "sat,sun", "sun", "fri,sat")
HEATMAP_FILE = "streak.png"


class ShowLines(Protocol):
    """What another feature adds to a member's own /streak show (bot.seams.STREAK_SHOW_LINES)."""

    async def private_lines(self, user_id: int) -> list[str]: ...


def parse_rest_days(text: str) -> int:
    """none, weekends, or any day set the core understands (sat,sun · fri, sat …)."""
    cleaned = " ".join(text.lower().split())
    if cleaned in ("none", "no", "off", "no rest days"):
        return 0
    try:
        mask = DaySet.parse(text).mask
    except InvalidInput:
        raise UserFacingError(m.REST_BAD.format(value=text[:40])) from None
    if mask == logic.ALL_DAYS_MASK:  # every day a rest day would make the streak meaningless
        raise UserFacingError(m.REST_ALL_DAYS)
    return mask


class StreaksCog(CheckinCommands, name="Streaks"):
    streak = streak_group

    # -- /streak show ---------------------------------------------------------------------------

    @streak.command(name="show", description="Your streak, best, total, this week and a heatmap.")
    @app_commands.describe(share="Post it in this channel for everyone (default: only you see it)")
    async def show(self, interaction: discord.Interaction[Bot], share: bool = False) -> None:
        guild_id = _guild_id(interaction)
        source = (await resolve_timezone(self.bot.store, interaction.user.id, guild_id)).source
        snap, used = await self.service.take_freeze_notice(guild_id, interaction.user.id)
        # Drawn at 2x, a heatmap takes ~13 ms of CPU: off the event loop, which serves everyone.
        png = await asyncio.to_thread(
            heatmap.render,
            snap.state,
            snap.history.checkins,
            title=render.show_title(snap),
            subtitle=render.show_subtitle(snap),
        )
        file = discord.File(io.BytesIO(png), filename=HEATMAP_FILE, description=m.HEATMAP_ALT)
        if share:
            text = render.shared_text(snap, interaction.user.mention)
        else:
            text = render.show_text(snap, source)
            pause = logic.active_pause(snap.history.pauses, snap.state.today)
            if pause is not None:
                text += m.SHOW_PAUSED.format(end=render.day_label(pause.end))
            elif not snap.state.checked_today:
                text += m.SHOW_TODAY_OPEN.format(
                    midnight=self._midnight(snap.zone, snap.state.today)
                )
            frozen = render.freeze_line(used)
            if frozen:
                text += "\n" + frozen
            text += await self._other_lines(interaction.user.id)
        # One embed with the heatmap inside it (the guide's promise), not text and a loose file.
        embed = discord.Embed(
            title=render.show_title(snap),
            description=text,
            colour=discord.Colour.from_rgb(*heatmap.LEVELS[1]),
        )
        embed.set_image(url=f"attachment://{HEATMAP_FILE}")
        await interaction.response.send_message(
            embed=embed,
            file=file,
            ephemeral=not share,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def _other_lines(self, user_id: int) -> str:
        """Other features' lines for the member's own view only (never share:True)."""
        reader: ShowLines | None = self.bot.seams.reader(STREAK_SHOW_LINES)  # type: ignore[assignment]
        lines = await reader.private_lines(user_id) if reader is not None else []
        return "".join(f"\n{line}" for line in lines)

    @staticmethod
    def _midnight(zone: str, today: date) -> str:
        """When the member's today ends, as a Discord timestamp (each viewer sees it locally)."""
        tz = logic.ZoneInfo(zone)
        end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
        return discord_timestamp(end, "t")

    # -- /streak leaderboard --------------------------------------------------------------------

    @streak.command(
        name="leaderboard", description="Streaks of the members who chose to be listed."
    )
    @app_commands.describe(share="Post it in this channel (default: only you see it)")
    async def leaderboard(self, interaction: discord.Interaction[Bot], share: bool = False) -> None:
        guild_id = _guild_id(interaction)
        entries = await self.service.leaderboard(guild_id)
        if not entries:
            await interaction.response.send_message(m.LEADERBOARD_EMPTY, ephemeral=True)
            return
        by_streak, by_week = render.leaderboard_sections(entries)
        embed = discord.Embed(title=m.LEADERBOARD_TITLE, colour=discord.Colour.green())
        embed.add_field(name=m.LEADERBOARD_STREAKS, value=by_streak, inline=True)
        embed.add_field(name=m.LEADERBOARD_WEEK, value=by_week, inline=True)
        embed.set_footer(text=m.LEADERBOARD_FOOTER)
        await interaction.response.send_message(
            embed=embed, ephemeral=not share, allowed_mentions=discord.AllowedMentions.none()
        )

    # -- pause and resume -----------------------------------------------------------------------

    @streak.command(name="pause", description=m.PAUSE_DESCRIPTION)
    @app_commands.describe(days="How many days, 1 to 14 (starting today)")
    async def pause(self, interaction: discord.Interaction[Bot], days: int) -> None:
        guild_id = _guild_id(interaction)
        try:
            pause = await self.service.pause(guild_id, interaction.user.id, days)
        except StreakRefusal as refusal:
            if refusal.key == "already_paused":
                until = refusal.details["until"]
                raise UserFacingError(
                    m.ALREADY_PAUSED.format(end=render.day_label(until))  # type: ignore[arg-type]
                ) from None
            raise UserFacingError(m.PAUSE_LENGTH) from None
        await interaction.response.send_message(
            m.PAUSED.format(end=render.day_label(pause.end)), ephemeral=True
        )

    @streak.command(name="resume", description="End a pause early.")
    async def resume(self, interaction: discord.Interaction[Bot]) -> None:
        guild_id = _guild_id(interaction)
        try:
            await self.service.resume(guild_id, interaction.user.id)
        except StreakRefusal:
            raise UserFacingError(m.NOT_PAUSED) from None
        await interaction.response.send_message(m.RESUMED, ephemeral=True)

    # -- settings -------------------------------------------------------------------------------

    @streak.command(
        name="settings", description="Rest days, milestone celebrations and the leaderboard."
    )
    @app_commands.describe(
        rest_days="Days that never count against you: none, weekends, or a list like sat,sun",
        celebrate="Announce your milestones (3, 7, 14, 30 … days) in the accountability channel",
        leaderboard="List you on /streak leaderboard in this server",
    )
    async def settings(
        self,
        interaction: discord.Interaction[Bot],
        rest_days: str | None = None,
        celebrate: bool | None = None,
        leaderboard: bool | None = None,
    ) -> None:
        guild_id = _guild_id(interaction)
        mask = parse_rest_days(rest_days) if rest_days is not None else None
        user_id = interaction.user.id
        if mask is not None:
            await self.service.set_rest_days(guild_id, user_id, mask)
        if celebrate is not None:
            await self.service.set_flag(guild_id, user_id, "celebrate", celebrate)
        if leaderboard is not None:
            await self.service.set_flag(guild_id, user_id, "leaderboard", leaderboard)
        text, view = await self._settings_panel(guild_id, user_id)
        if mask is not None or celebrate is not None or leaderboard is not None:
            text = f"{m.SETTINGS_SAVED}\n{text}"
        await interaction.response.send_message(text, view=view, ephemeral=True)

    @settings.autocomplete("rest_days")
    @safe_autocomplete
    async def _rest_choices(
        self, interaction: discord.Interaction[Bot], current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        options = [c for c in REST_CHOICES if c.startswith(typed)] or ([current] if typed else [])
        return choices((c, c) for c in options)

    async def _settings_panel(self, guild_id: int, user_id: int) -> tuple[str, discord.ui.View]:
        snap = await self.service.snapshot(guild_id, user_id)
        channel_id = await accountability_channel(self.bot.store, guild_id)
        mask = snap.history.rest_mask_on(snap.state.today)
        text = m.SETTINGS_TEXT.format(
            rest=logic.describe_rest_mask(mask),
            channel=f"<#{channel_id}>" if channel_id else m.NO_CHANNEL,
            celebrate=m.ON if snap.profile.celebrate else m.OFF,
            leaderboard=m.ON if snap.profile.leaderboard else m.OFF,
        )
        return text, settings_view(mask, snap.profile.celebrate, snap.profile.leaderboard)

    async def apply_setting(
        self, interaction: discord.Interaction[Bot], setting: str, value: str
    ) -> None:
        """A settings button: one click, then the panel shows the new state."""
        guild_id = _guild_id(interaction)
        user_id = interaction.user.id
        if setting == "rest":
            await self.service.set_rest_days(
                guild_id, user_id, logic.WEEKENDS_MASK if value == "weekends" else 0
            )
        else:
            name = "celebrate" if setting == "celebrate" else "leaderboard"
            await self.service.set_flag(guild_id, user_id, name, value == "on")
        text, view = await self._settings_panel(guild_id, user_id)
        await interaction.response.edit_message(content=f"{m.SETTINGS_SAVED}\n{text}", view=view)

    # -- events ---------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """The accountability channel was deleted: stop using it and tell the admins once."""
        if await accountability_channel(self.bot.store, channel.guild.id) == channel.id:
            await self._channel_broken(channel.guild.id, channel.id)
