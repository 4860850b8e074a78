"""The morning affirmation's page in /setup: its channel and time, saved through
`AffirmationService` exactly as /affirmations setup saves them."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import TYPE_CHECKING, Any

from bot.setup_pages import POSTING, Setting, SetupPart
from bot.timekeeping import UTC_NAME, DaySet
from cogs.affirmations import messages as say
from cogs.affirmations.repository import GuildSchedule

if TYPE_CHECKING:
    from cogs.affirmations.service import AffirmationService

DEFAULT_TIME = time(8, 0)
# A pause the old channel caused ends when a channel that works is chosen.
CHANNEL_PAUSES = ("channel_missing", "missing_permissions")


def setup_part(service: AffirmationService) -> SetupPart:
    async def read_channel(guild_id: int) -> int | None:
        schedule = await service.schedule(guild_id)
        return schedule.channel_id if schedule else None

    async def write_channel(guild_id: int, channel_id: Any) -> str | None:
        schedule = await service.schedule(guild_id)
        if schedule is None:  # gentle defaults: every day at 08:00, in the server's zone
            schedule = GuildSchedule(
                guild_id=guild_id,
                channel_id=int(channel_id),
                local_time=DEFAULT_TIME,
                timezone=await service.default_timezone(guild_id) or UTC_NAME,
                days=DaySet.every_day(),
                role_id=None,
                paused=False,
                pause_reason=None,
                paused_at=None,
            )
        else:
            schedule = replace(schedule, channel_id=int(channel_id))
            if schedule.paused and schedule.pause_reason in CHANNEL_PAUSES:
                schedule = replace(schedule, paused=False, pause_reason=None, paused_at=None)
        await service.save_settings(schedule)
        return None

    async def read_time(guild_id: int) -> time | None:
        schedule = await service.schedule(guild_id)
        return schedule.local_time if schedule else None

    async def write_time(guild_id: int, value: Any) -> str | None:
        schedule = await service.schedule(guild_id)
        if schedule is None:
            return say.SETUP_PICK_CHANNEL_FIRST
        await service.save_settings(replace(schedule, local_time=value))
        return None

    async def follow_zone(guild_id: int, zone: str) -> None:
        """The morning affirmation follows the server's zone chosen in /setup."""
        schedule = await service.schedule(guild_id)
        if schedule is not None and schedule.timezone != zone:
            await service.save_settings(replace(schedule, timezone=zone))

    return SetupPart(
        settings=(
            Setting(
                "affirmations_channel",
                say.SETUP_CHANNEL,
                say.SETUP_PAGE,
                "channel",
                read_channel,
                write_channel,
                needs=POSTING,
            ),
            Setting(
                "affirmations_time", say.SETUP_TIME, say.SETUP_PAGE, "time", read_time, write_time
            ),
        ),
        zone_followers=(follow_zone,),
    )
