"""/setup's settings: the pages of every loaded feature (each built on its own service, see
`Feature.setup`), then the server's own settings (notices channel, time zone and the core
settings loaded features use)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING, Any

from bot import features as registry
from bot.guild_settings import GuildSettingsRepository
from bot.setup_pages import POSTING, ChannelNeeds, Setting, SetupPart, ZoneFollower, with_needs
from bot.timekeeping import parse_time as parse
from bot.timekeeping import timezone_suggestions
from cogs.setup import messages

if TYPE_CHECKING:
    from bot.app import Bot

# What /accountability channel checks: posts, and private check-in threads.
ACCOUNTABILITY_NEEDS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "create_private_threads",
)


def loaded_features(bot: Bot) -> list[registry.Feature]:
    return registry.among(bot.extensions)


def all_settings(bot: Bot) -> list[Setting]:
    loaded = loaded_features(bot)
    parts = [feature.setup(bot) for feature in loaded if feature.setup is not None]
    extra: dict[str, list[ChannelNeeds]] = {}
    for part in parts:
        for key, needs in part.channel_needs.items():
            extra.setdefault(key, []).append(needs)
    settings = [with_needs(s, extra.get(s.key, [])) for part in parts for s in part.settings]
    followers = [follow for part in parts for follow in part.zone_followers]
    wanted = {name for feature in loaded for name in feature.server_settings}
    return settings + server_settings(bot, followers, wanted)


def server_settings(bot: Bot, followers: Sequence[ZoneFollower], wanted: set[str]) -> list[Setting]:
    """The server's own settings: where admin notices go, the server's default zone, and the
    accountability channel when a loaded feature uses it."""
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
        for follow in followers:
            await follow(guild_id, str(zone))
        return None

    page = messages.PAGE_ACCOUNTABILITY_AND_NOTICES
    own = [accountability_setting(bot)] if "accountability_channel" in wanted else []
    return [
        *own,
        Setting(
            "notices_channel",
            messages.NOTICES_CHANNEL,
            page,
            "channel",
            read_notices,
            write_notices,
            needs=POSTING,
        ),
        Setting(
            "timezone",
            messages.SERVER_ZONE,
            messages.PAGE_TIME_ZONE,
            "zone",
            read_zone,
            write_zone,
        ),
    ]


def accountability_setting(bot: Bot) -> Setting:
    """The accountability channel (milestones, shared summaries, private check-in threads), the
    row /accountability channel writes."""
    # Still kept with streaks' server settings; it moves into the core's server settings.
    from cogs.streaks.repository import accountability_channel, set_accountability_channel

    async def read(guild_id: int) -> int | None:
        return await accountability_channel(bot.store, guild_id)

    async def write(guild_id: int, channel_id: Any) -> str | None:
        async with bot.store.transaction() as conn:
            await set_accountability_channel(conn, guild_id, int(channel_id), bot.clock.now())
        return None

    return Setting(
        "accountability_channel",
        messages.ACCOUNTABILITY_CHANNEL,
        messages.PAGE_ACCOUNTABILITY_AND_NOTICES,
        "channel",
        read,
        write,
        needs=ACCOUNTABILITY_NEEDS,
    )


def suggest_zones(query: str) -> list[str]:
    return timezone_suggestions(query)


def parse_time(text: str) -> time:
    """HH:MM; raises InvalidInput (a ValueError) with one friendly sentence."""
    return parse(text)


__all__ = ["SetupPart", "all_settings", "parse_time", "suggest_zones"]
