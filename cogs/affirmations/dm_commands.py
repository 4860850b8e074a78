"""/affirmations dm: a member's own daily affirmation by DM."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.member_settings import resolve_timezone
from bot.timekeeping import canonical_timezone_name, format_time, parse_time, timezone_suggestions
from bot.ui import choices, discord_timestamp, safe_autocomplete
from cogs.affirmations import messages as say
from cogs.affirmations.replies import next_stamps

if TYPE_CHECKING:
    from bot.app import Bot

from cogs.affirmations.cog_base import AffirmationsCogBase, dm_group


@safe_autocomplete
async def timezone_autocomplete(
    interaction: discord.Interaction[Bot], current: str
) -> list[app_commands.Choice[str]]:
    return choices((zone, zone) for zone in timezone_suggestions(current))


class DMCommands(AffirmationsCogBase):
    """The /affirmations dm subcommands of AffirmationsCog."""

    dm = dm_group

    @dm.command(
        name="on", description="Get a personal affirmation by DM each day at your own time."
    )
    @app_commands.describe(
        time="Your local time, 24-hour HH:MM, e.g. 07:30",
        timezone="Optional: defaults to your /timezone (else the server's zone, else UTC)",
    )
    async def dm_on(
        self, interaction: discord.Interaction[Bot], time: str, timezone: str | None = None
    ) -> None:
        local_time = parse_time(time)
        if timezone is None:
            # The member's one zone for the whole bot (see bot/member_settings.py).
            zone_name = (
                await resolve_timezone(self.bot.store, interaction.user.id, interaction.guild_id)
            ).name
        else:
            zone_name = canonical_timezone_name(timezone)
        # No test DM here: a member's DMs are only tried at delivery time. If they are closed
        # then, the DMs stop after that one failure and the member is told on their next command.
        nxt = await self.service.dm_on(interaction.user.id, local_time, zone_name)
        where = say.DM_ON_FROM_DMS if interaction.guild is None else say.DM_ON_FROM_SERVER
        text = self._say(
            say.DM_ON,
            time=format_time(local_time),
            zone=zone_name,
            next_full=discord_timestamp(nxt.due_at, "F"),
            where=where,
        )
        await self._reply(interaction, text)

    dm_on.autocomplete("timezone")(timezone_autocomplete)

    @dm.command(name="off", description="Stop your personal affirmation DMs.")
    async def dm_off(self, interaction: discord.Interaction[Bot]) -> None:
        stopped = await self.service.dm_off(interaction.user.id)
        await self._reply(interaction, self._say(say.DM_OFF) if stopped else say.DM_NOT_ON)

    @dm.command(name="status", description="See your affirmation DM time, zone and next one.")
    async def dm_status(self, interaction: discord.Interaction[Bot]) -> None:
        subscription, nxt = await self.service.dm_status(interaction.user.id)
        if subscription is None or not subscription.active or nxt is None:
            closed = subscription is not None and subscription.stopped_reason == "dms_closed"
            await self._reply(
                interaction, self._say(say.DM_STATUS_STOPPED if closed else say.DM_STATUS_OFF)
            )
            return
        text = self._say(
            say.DM_STATUS_ON,
            time=format_time(subscription.local_time),
            zone=subscription.timezone,
            **next_stamps(nxt),
        )
        await self._reply(interaction, text)
