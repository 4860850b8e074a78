"""/setup's settings, each read and written through the feature that owns it.

A feature that is not loaded contributes nothing, so /setup only offers what this build has.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import time
from typing import TYPE_CHECKING, Any

from cogs.setup.service import Setting

if TYPE_CHECKING:
    from bot.app import Bot

DEFAULT_AFFIRMATION_TIME = time(8, 0)
POSTING = ("view_channel", "send_messages", "embed_links")
PICK_CHANNEL_FIRST = "Pick the affirmations channel first — then its time."

ZoneFollower = Callable[[int, str], Awaitable[None]]


@dataclass
class Wiring:
    settings: list[Setting] = field(default_factory=list)
    # Called when the server's zone changes: features that keep their own zone follow it.
    zone_followers: list[ZoneFollower] = field(default_factory=list)


def all_settings(bot: Bot) -> list[Setting]:
    wiring = Wiring()
    affirmation_settings(bot, wiring)
    story_settings(bot, wiring)
    accountability_settings(bot, wiring)
    server_settings(bot, wiring)
    return wiring.settings


def loaded(bot: Bot, package: str) -> bool:
    """Whether a feature package (cogs.<package>) has a cog loaded in this build."""
    return any(type(cog).__module__.startswith(f"cogs.{package}.") for cog in bot.cogs.values())


def server_settings(bot: Bot, wiring: Wiring) -> None:
    """The house's per-server settings: where admin notices go, the server's default zone."""
    from bot.guild_settings import GuildSettingsRepository

    repo = GuildSettingsRepository(bot.store)

    async def read_notices(guild_id: int) -> int | None:
        return (await repo.get(guild_id)).notices_channel_id

    async def write_notices(guild_id: int, channel_id: Any) -> str | None:
        await repo.set_notices_channel(guild_id, int(channel_id), bot.clock.now())
        return None

    async def read_zone(guild_id: int) -> str | None:
        return (await repo.get(guild_id)).default_timezone

    async def write_zone(guild_id: int, zone: Any) -> str | None:
        await repo.set_default_timezone(guild_id, str(zone), bot.clock.now())
        for follow in wiring.zone_followers:
            await follow(guild_id, str(zone))
        return None

    wiring.settings += [
        Setting(
            "notices_channel",
            "Notices channel (for admins)",
            "Accountability and notices",
            "channel",
            read_notices,
            write_notices,
            needs=POSTING,
        ),
        Setting("timezone", "Server time zone", "Time zone", "zone", read_zone, write_zone),
    ]


def affirmation_settings(bot: Bot, wiring: Wiring) -> None:
    from bot.guild_settings import GuildSettingsRepository
    from bot.timekeeping import UTC_NAME, DaySet
    from cogs.affirmations.jobs import make_rule
    from cogs.affirmations.repository import GUILD_JOB, AffirmationRepository, GuildSchedule

    if not loaded(bot, "affirmations"):
        return
    repo = AffirmationRepository(bot.store)
    server = GuildSettingsRepository(bot.store)

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
        if schedule is None:  # gentle defaults: every day at 08:00, in the server's zone
            zone = (await server.get(guild_id)).default_timezone or UTC_NAME
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
                # A channel that works ends a pause the old one caused.
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

    async def follow_zone(guild_id: int, zone: str) -> None:
        """The morning affirmation follows the server's zone chosen in /setup."""
        schedule = await repo.schedule(guild_id)
        if schedule is not None and schedule.timezone != zone:
            await save(replace(schedule, timezone=zone))

    wiring.zone_followers.append(follow_zone)
    wiring.settings += [
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
    ]


def story_settings(bot: Bot, wiring: Wiring) -> None:
    """The stories channel, the moderators' channel and approval, through stories' own
    settings (the same rows /stories settings writes)."""
    import discord

    from cogs.stories import messages as story_messages
    from cogs.stories.repository import StoryRepository, with_settings

    if not loaded(bot, "stories"):
        return
    repo = StoryRepository(bot.store)
    # Encouragement opens a thread under each story (in a forum, the post is the thread).
    threads = loaded(bot, "encouragement")
    text_needs = POSTING + (
        ("create_public_threads", "send_messages_in_threads", "read_message_history")
        if threads
        else ()
    )
    forum_needs = POSTING + (("send_messages_in_threads",) if threads else ())

    def reader(field_name: str) -> Callable[[int], Awaitable[Any]]:
        async def read(guild_id: int) -> Any:
            return getattr(await repo.settings(guild_id), field_name)

        return read

    def writer(field_name: str) -> Callable[[int, Any], Awaitable[str | None]]:
        async def write(guild_id: int, value: Any) -> str | None:
            current = await repo.settings(guild_id)
            updated = with_settings(current, **{field_name: value})
            if updated.approval and updated.mod_channel_id is None:
                return story_messages.APPROVAL_NEEDS_MOD_CHANNEL.replace(
                    " Add mod_channel: too.", " Pick the moderators' channel first."
                )
            await repo.save_settings(updated, bot.clock.now())
            return None

        return write

    wiring.settings += [
        Setting(
            "stories_channel",
            "Stories channel",
            "Stories",
            "channel",
            reader("channel_id"),
            writer("channel_id"),
            needs=text_needs,
            forum_needs=forum_needs,
            channel_types=(discord.ChannelType.text, discord.ChannelType.forum),
        ),
        Setting(
            "stories_mod_channel",
            "Moderators' channel",
            "Stories",
            "channel",
            reader("mod_channel_id"),
            writer("mod_channel_id"),
            needs=POSTING,
        ),
        Setting(
            "stories_approval",
            "Approve stories first",
            "Stories",
            "toggle",
            reader("approval"),
            writer("approval"),
        ),
    ]


def accountability_settings(bot: Bot, wiring: Wiring) -> None:
    """The accountability channel (milestones, shared summaries, private check-in threads),
    through streaks' own setting (the row /accountability channel writes)."""
    from cogs.streaks.repository import accountability_channel, set_accountability_channel

    if not (loaded(bot, "streaks") or loaded(bot, "accountability")):
        return

    async def read(guild_id: int) -> int | None:
        return await accountability_channel(bot.store, guild_id)

    async def write(guild_id: int, channel_id: Any) -> str | None:
        async with bot.store.transaction() as conn:
            await set_accountability_channel(conn, guild_id, int(channel_id), bot.clock.now())
        return None

    wiring.settings.append(
        Setting(
            "accountability_channel",
            "Accountability channel",
            "Accountability and notices",
            "channel",
            read,
            write,
            # What /accountability channel checks: posts, and private check-in threads.
            needs=(
                "view_channel",
                "send_messages",
                "send_messages_in_threads",
                "create_private_threads",
            ),
        )
    )


def suggest_zones(query: str) -> list[str]:
    from bot.timekeeping import timezone_suggestions

    return timezone_suggestions(query)


def parse_time(text: str) -> time:
    """HH:MM; raises InvalidInput (a ValueError) with one friendly sentence."""
    from bot.timekeeping import parse_time as parse

    return parse(text)
