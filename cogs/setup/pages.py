"""/setup's settings: the pages of every loaded feature (each built on its own service, see
`Feature.setup` and bot/setup_pages.py), then the server's own settings (notices channel and
time zone)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from bot.deps import ServiceDeps
from bot.guild_settings import GuildSettingsRepository
from bot.setup_pages import POSTING, ChannelNeeds, Setting, SetupPages, ZoneFollower, with_needs
from bot.timekeeping import parse_time as parse
from bot.timekeeping import timezone_suggestions
from cogs.setup import messages


def all_settings(pages: SetupPages, deps: ServiceDeps) -> list[Setting]:
    parts = pages.parts()
    extra: dict[str, list[ChannelNeeds]] = {}
    for part in parts:
        for key, needs in part.channel_needs.items():
            extra.setdefault(key, []).append(needs)
    settings = [with_needs(s, extra.get(s.key, [])) for part in parts for s in part.settings]
    followers = [follow for part in parts for follow in part.zone_followers]
    return settings + server_settings(deps, followers)


def server_settings(deps: ServiceDeps, followers: Sequence[ZoneFollower]) -> list[Setting]:
    """The server's own settings: where admin notices go, and the server's default zone."""
    repo = GuildSettingsRepository(deps.store)
    clock = deps.clock

    async def read_notices(guild_id: int) -> int | None:
        return (await repo.get(guild_id)).notices_channel_id

    async def write_notices(guild_id: int, channel_id: Any) -> str | None:
        await repo.set_notices_channel(guild_id, int(channel_id), clock.now())
        return None

    async def read_zone(guild_id: int) -> str | None:
        return (await repo.get(guild_id)).default_timezone

    async def write_zone(guild_id: int, zone: Any) -> str | None:
        await repo.set_default_timezone(guild_id, str(zone), clock.now())
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
