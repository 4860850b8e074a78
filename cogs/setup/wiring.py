"""/setup's settings, each read and written through the feature that owns it.

A feature that is not loaded contributes nothing, so /setup only offers what this build has.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import TYPE_CHECKING, Any

from cogs.setup.service import Setting

if TYPE_CHECKING:
    from bot.app import Bot

DEFAULT_AFFIRMATION_TIME = time(8, 0)
POSTING = ("view_channel", "send_messages", "embed_links")
PICK_CHANNEL_FIRST = "Pick the affirmations channel first — then its time."


def all_settings(bot: Bot) -> list[Setting]:
    return [*affirmation_settings(bot)]


def affirmation_settings(bot: Bot) -> list[Setting]:
    from cogs.affirmations.jobs import make_rule
    from cogs.affirmations.logic import DaySet
    from cogs.affirmations.repository import GUILD_JOB, AffirmationRepository, GuildSchedule

    if bot.get_cog("AffirmationsCog") is None:
        return []
    repo = AffirmationRepository(bot.store)

    async def save(schedule: GuildSchedule) -> None:
        async with bot.store.transaction() as conn:
            await repo.save_schedule(conn, schedule, bot.clock.now())
            if not schedule.paused:
                await bot.scheduler.put_job(
                    conn, GUILD_JOB, str(schedule.guild_id), make_rule(schedule.post_schedule())
                )

    async def read_channel(guild_id: int) -> int | None:
        schedule = await repo.schedule(guild_id)
        return schedule.channel_id if schedule else None

    async def write_channel(guild_id: int, channel_id: Any) -> str | None:
        schedule = await repo.schedule(guild_id)
        if schedule is None:  # gentle defaults: every day at 08:00, the server's zone
            zone = "UTC"
            schedule = GuildSchedule(
                guild_id=guild_id,
                channel_id=int(channel_id),
                local_time=DEFAULT_AFFIRMATION_TIME,
                timezone=zone,
                days=DaySet.every_day(),
                role_id=None,
                paused=False,
                pause_reason=None,
                paused_at=None,
            )
        else:
            schedule = replace(schedule, channel_id=int(channel_id))
            if schedule.paused and schedule.pause_reason in (
                "channel_missing",
                "missing_permissions",
            ):
                # A channel that works again ends a pause the old one caused.
                schedule = replace(schedule, paused=False, pause_reason=None, paused_at=None)
        await save(schedule)
        return None

    async def read_time(guild_id: int) -> time | None:
        schedule = await repo.schedule(guild_id)
        return schedule.local_time if schedule else None

    async def write_time(guild_id: int, value: Any) -> str | None:
        schedule = await repo.schedule(guild_id)
        if schedule is None:
            return PICK_CHANNEL_FIRST
        await save(replace(schedule, local_time=value))
        return None

    async def read_zone(guild_id: int) -> str | None:
        schedule = await repo.schedule(guild_id)
        return schedule.timezone if schedule else None

    async def write_zone(guild_id: int, value: Any) -> str | None:
        schedule = await repo.schedule(guild_id)
        if schedule is None:
            return PICK_CHANNEL_FIRST
        await save(replace(schedule, timezone=str(value)))
        return None

    return [
        Setting(
            "affirmations_channel",
            "Affirmations channel",
            "Morning affirmations",
            "channel",
            read_channel,
            write_channel,
            needs=POSTING,
        ),
        Setting(
            "affirmations_time",
            "Affirmation time",
            "Morning affirmations",
            "time",
            read_time,
            write_time,
        ),
        Setting("timezone", "Server time zone", "Time zone", "zone", read_zone, write_zone),
    ]


def suggest_zones(query: str) -> list[str]:
    from cogs.affirmations.logic import timezone_suggestions

    return timezone_suggestions(query)


def parse_time(text: str) -> time:
    """HH:MM; raises ValueError with one friendly sentence."""
    from cogs.affirmations.logic import parse_time as parse

    return parse(text)
