"""/setup's settings: the pages of every loaded feature (each built on its own service, see
`Feature.setup`), then the server's own settings (notices channel and time zone)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING, Any

from bot import features as registry
from bot.guild_settings import GuildSettingsRepository
from bot.setup_pages import POSTING, ChannelNeeds, Setting, ZoneFollower, with_needs
from bot.timekeeping import parse_time as parse
from bot.timekeeping import timezone_suggestions
from cogs.setup import messages

if TYPE_CHECKING:
    from bot.app import Bot


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
    return settings + server_settings(bot, followers)


def server_settings(bot: Bot, followers: Sequence[ZoneFollower]) -> list[Setting]:
    """The server's own settings: where admin notices go, and the server's default zone."""
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

    return [
        Setting(
            "notices_channel",
            messages.NOTICES_CHANNEL,
            messages.PAGE_NOTICES,
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


def suggest_zones(query: str) -> list[str]:
    return timezone_suggestions(query)


def parse_time(text: str) -> time:
    """HH:MM; raises InvalidInput (a ValueError) with one friendly sentence."""
    return parse(text)


__all__ = ["all_settings", "parse_time", "suggest_zones"]
