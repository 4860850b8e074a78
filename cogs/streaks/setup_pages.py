"""The accountability channel in /setup (milestones, shared summaries, private check-in
threads): the row /accountability channel writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.guild_settings import accountability_channel, set_accountability_channel
from bot.setup_pages import Setting, SetupPart
from cogs.streaks import messages

if TYPE_CHECKING:
    from cogs.streaks.service import StreakService

# What /accountability channel checks: posts, and private check-in threads.
NEEDS = ("view_channel", "send_messages", "send_messages_in_threads", "create_private_threads")


def setup_part(service: StreakService) -> SetupPart:
    store, clock = service.store, service.clock

    async def read(guild_id: int) -> int | None:
        return await accountability_channel(store, guild_id)

    async def write(guild_id: int, channel_id: Any) -> str | None:
        async with store.transaction() as conn:
            await set_accountability_channel(conn, guild_id, int(channel_id), clock.now())
        return None

    setting = Setting(
        "accountability_channel",
        messages.SETUP_CHANNEL,
        messages.SETUP_PAGE,
        "channel",
        read,
        write,
        needs=NEEDS,
    )
    return SetupPart(settings=(setting,))
