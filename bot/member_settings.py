"""A member's own settings for the whole bot (table member_settings): today, their time zone.

`/timezone set` (cogs/timezone) writes it; every feature that works in a member's local time
reads it through `member_timezone` or, with the fallbacks applied, `resolve_timezone`:
the member's zone, else the server's default zone, else UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db import Store
from bot.scheduling import to_epoch

DEFAULT_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class ResolvedZone:
    name: str
    # Where it came from: "member" (/timezone set), "server" (the server's default) or "default".
    source: str


async def member_timezone(store: Store, user_id: int) -> str | None:
    """The zone the member chose with /timezone set, or None."""
    row = await store.fetchone("SELECT timezone FROM member_settings WHERE user_id = ?", (user_id,))
    return str(row["timezone"]) if row is not None and row["timezone"] else None


async def resolve_timezone(store: Store, user_id: int, guild_id: int | None) -> ResolvedZone:
    """The member's zone, else the server's default, else UTC."""
    return await store.run(resolve_timezone_in, user_id, guild_id)


async def resolve_timezone_in(
    conn: aiosqlite.Connection, user_id: int, guild_id: int | None
) -> ResolvedZone:
    """The same inside a transaction (or a `Store.run` body), in one statement."""
    cursor = await conn.execute(
        "SELECT (SELECT timezone FROM member_settings WHERE user_id = ?) AS own, "
        "(SELECT default_timezone FROM guild_settings WHERE guild_id = ?) AS server",
        (user_id, guild_id),
    )
    row = await cursor.fetchone()
    if row is not None and row["own"]:
        return ResolvedZone(str(row["own"]), "member")
    if row is not None and row["server"]:
        return ResolvedZone(str(row["server"]), "server")
    return ResolvedZone(DEFAULT_ZONE, "default")


async def set_member_timezone(
    conn: aiosqlite.Connection, user_id: int, zone: str | None, now: datetime
) -> None:
    """Store (or with None clear) the member's zone, inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO member_settings (user_id, timezone, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, "
        "updated_at = excluded.updated_at",
        (user_id, zone, to_epoch(now)),
    )
