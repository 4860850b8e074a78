"""/timezone set|show|clear: one time zone per member, for the whole bot (table member_settings).

A change is announced in the transaction that stores it, as the durable event
MEMBER_TIMEZONE_CHANGED (the member sealed), so features that count local days (streaks) or
schedule in local time (accountability) follow it once, after a crash too.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.member_settings import (
    announce_timezone_change,
    member_timezone,
    resolve_timezone,
    set_member_timezone,
)
from bot.privacy import MemberTable, TablesPrivacy
from bot.timekeeping import canonical_timezone_name, timezone_suggestions
from bot.ui import choices, safe_autocomplete
from cogs.timezone import messages as m

if TYPE_CHECKING:
    from bot.app import Bot


class TimezonePrivacy(TablesPrivacy):
    feature = "timezone"
    tables = (MemberTable("member_settings", guild_where=None),)


def local_clock(now: datetime, zone: str) -> str:
    """ "14:05 on Wednesday": the wall time in a zone, for a reply the member can check."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(zone))
    return m.LOCAL_CLOCK.format(time=f"{local:%H:%M}", weekday=f"{local:%A}")


@safe_autocomplete
async def timezone_autocomplete(
    interaction: discord.Interaction[Bot], current: str
) -> list[app_commands.Choice[str]]:
    return choices((zone, zone) for zone in timezone_suggestions(current))


class TimezoneCog(commands.Cog, name="Timezone"):
    timezone = app_commands.Group(name="timezone", description=m.GROUP_DESCRIPTION)

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.privacy = TimezonePrivacy()

    async def cog_load(self) -> None:
        self.bot.privacy.register(self.privacy)

    async def cog_unload(self) -> None:
        self.bot.privacy.unregister(self.privacy.feature)

    async def _announce(self, conn: aiosqlite.Connection, user_id: int) -> None:
        await announce_timezone_change(
            conn, self.bot.scheduler.events, self.bot.anonymizer, user_id
        )

    @timezone.command(name="set", description="Set your time zone (start typing a city).")
    @app_commands.describe(timezone="A city-based zone like Europe/Berlin or America/New_York")
    async def set_zone(self, interaction: discord.Interaction[Bot], timezone: str) -> None:
        zone = canonical_timezone_name(timezone)  # InvalidInput is shown to the member as is
        now = self.bot.clock.now()
        async with self.bot.store.transaction() as conn:
            await set_member_timezone(conn, interaction.user.id, zone, now)
            await self._announce(conn, interaction.user.id)
        await interaction.response.send_message(
            m.SET_DONE.format(zone=zone, local=local_clock(now, zone)), ephemeral=True
        )

    set_zone.autocomplete("timezone")(timezone_autocomplete)

    @timezone.command(name="show", description="See which time zone Rebound uses for you.")
    async def show(self, interaction: discord.Interaction[Bot]) -> None:
        resolved = await resolve_timezone(self.bot.store, interaction.user.id, interaction.guild_id)
        local = local_clock(self.bot.clock.now(), resolved.name)
        template = {"member": m.SHOW_MEMBER, "server": m.SHOW_SERVER}.get(
            resolved.source, m.SHOW_DEFAULT
        )
        await interaction.response.send_message(
            template.format(zone=resolved.name, local=local), ephemeral=True
        )

    @timezone.command(
        name="clear", description="Forget your time zone (the server default applies)."
    )
    async def clear(self, interaction: discord.Interaction[Bot]) -> None:
        if await member_timezone(self.bot.store, interaction.user.id) is None:
            raise UserFacingError(m.NOT_SET)
        async with self.bot.store.transaction() as conn:
            await set_member_timezone(conn, interaction.user.id, None, self.bot.clock.now())
            await self._announce(conn, interaction.user.id)
        resolved = await resolve_timezone(self.bot.store, interaction.user.id, interaction.guild_id)
        fallback = m.FALLBACK_SERVER if resolved.source == "server" else m.FALLBACK_UTC
        await interaction.response.send_message(m.CLEARED.format(fallback=fallback), ephemeral=True)
