"""Per-server settings every feature may read: where admin notices go, the default time zone,
the accountability channel (streak milestones, weekly check-ins and their private threads).

One row per server in `guild_settings`. A server without a row has the defaults: notices by DM
to the owner (else the system channel), no default time zone, no accountability channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db import Store
from bot.timekeeping import require_aware

__all__ = [
    "GuildSettings",
    "GuildSettingsRepository",
    "accountability_channel",
    "accountability_channel_in_use",
    "mark_accountability_channel_broken",
    "set_accountability_channel",
]


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    notices_channel_id: int | None = None
    default_timezone: str | None = None


_UPSERT = (
    "INSERT INTO guild_settings (guild_id, {column}, created_at, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}, "
    "updated_at = excluded.updated_at"
)


class GuildSettingsRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, guild_id: int) -> GuildSettings:
        row = await self.store.fetchone(
            "SELECT notices_channel_id, default_timezone FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return GuildSettings(guild_id)
        return GuildSettings(guild_id, row["notices_channel_id"], row["default_timezone"])

    async def set_notices_channel(
        self, guild_id: int, channel_id: int | None, now: datetime
    ) -> None:
        """Send admin notices to this channel (None: back to the owner's DMs)."""
        await self._set("notices_channel_id", guild_id, channel_id, now)

    async def set_default_timezone(self, guild_id: int, zone: str | None, now: datetime) -> None:
        """``zone`` must already be canonical (bot.timekeeping.canonical_timezone_name)."""
        await self._set("default_timezone", guild_id, zone, now)

    async def _set(
        self, column: str, guild_id: int, value: int | str | None, now: datetime
    ) -> None:
        stamp = int(require_aware(now, "now").timestamp())
        await self.store.execute(_UPSERT.format(column=column), (guild_id, value, stamp, stamp))

    async def forget_guild(self, guild_id: int) -> int:
        """Delete the server's settings (the bot left it and retention ran out)."""
        return await self.store.execute(
            "DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )


# -- the accountability channel ------------------------------------------------------------------


async def accountability_channel(store: Store, guild_id: int) -> int | None:
    """The server's accountability channel (milestones, shared summaries, private threads)."""
    row = await store.fetchone(
        "SELECT accountability_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,)
    )
    return int(row[0]) if row is not None and row[0] is not None else None


async def accountability_channel_in_use(store: Store, guild_id: int) -> int | None:
    """The accountability channel, unless it is known to be unusable (deleted, or the bot may
    not post there) and set aside until someone picks a channel again."""
    row = await store.fetchone(
        "SELECT accountability_channel_id FROM guild_settings WHERE guild_id = ? "
        "AND (accountability_broken_channel_id IS NULL "
        "OR accountability_broken_channel_id <> accountability_channel_id)",
        (guild_id,),
    )
    return int(row[0]) if row is not None and row[0] is not None else None


async def mark_accountability_channel_broken(store: Store, guild_id: int, channel_id: int) -> bool:
    """Remember that ``channel_id`` cannot take posts; True the first time (tell the admins)."""
    return (
        await store.execute(
            "UPDATE guild_settings SET accountability_broken_channel_id = ? WHERE guild_id = ? "
            "AND accountability_channel_id = ? AND (accountability_broken_channel_id IS NULL "
            "OR accountability_broken_channel_id <> ?)",
            (channel_id, guild_id, channel_id, channel_id),
        )
        == 1
    )


async def set_accountability_channel(
    conn: aiosqlite.Connection, guild_id: int, channel_id: int | None, now: datetime
) -> None:
    """Pick the channel (inside the caller's transaction); a channel set aside is forgotten."""
    stamp = int(require_aware(now, "now").timestamp())
    await conn.execute(
        "INSERT INTO guild_settings (guild_id, accountability_channel_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
        "accountability_channel_id = excluded.accountability_channel_id, "
        "accountability_broken_channel_id = NULL, updated_at = excluded.updated_at",
        (guild_id, channel_id, stamp, stamp),
    )
