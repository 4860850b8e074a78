"""SQL for the servers the bot is in and the ones it left (table server_presence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.db import Store
from bot.privacy import delete_rows
from bot.scheduling import from_epoch, to_epoch


@dataclass(frozen=True, slots=True)
class Departure:
    guild_id: int
    left_at: datetime
    purge_at: datetime


class PresenceRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def mark_present(self, conn: aiosqlite.Connection, guild_id: int, now: datetime) -> bool:
        """Record that the bot is in the server; True if it had left it (a return)."""
        cursor = await conn.execute(
            "SELECT left_at FROM server_presence WHERE guild_id = ?", (guild_id,)
        )
        row = await cursor.fetchone()
        if row is None:
            await conn.execute(
                "INSERT INTO server_presence (guild_id, joined_at) VALUES (?, ?)",
                (guild_id, to_epoch(now)),
            )
            return False
        if row["left_at"] is None:
            return False
        await conn.execute(
            "UPDATE server_presence SET joined_at = ?, left_at = NULL, purge_at = NULL "
            "WHERE guild_id = ?",
            (to_epoch(now), guild_id),
        )
        return True

    async def mark_left(
        self, conn: aiosqlite.Connection, guild_id: int, left_at: datetime, purge_at: datetime
    ) -> bool:
        """Record the departure; False if it was already recorded (the first one counts)."""
        cursor = await conn.execute(
            "INSERT INTO server_presence (guild_id, joined_at, left_at, purge_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "left_at = excluded.left_at, purge_at = excluded.purge_at "
            "WHERE server_presence.left_at IS NULL",
            (guild_id, to_epoch(left_at), to_epoch(left_at), to_epoch(purge_at)),
        )
        return cursor.rowcount == 1

    async def departure(self, guild_id: int) -> Departure | None:
        row = await self.store.fetchone(
            "SELECT guild_id, left_at, purge_at FROM server_presence "
            "WHERE guild_id = ? AND left_at IS NOT NULL",
            (guild_id,),
        )
        if row is None:
            return None
        return Departure(row["guild_id"], from_epoch(row["left_at"]), from_epoch(row["purge_at"]))

    async def present_ids(self) -> set[int]:
        rows = await self.store.fetchall(
            "SELECT guild_id FROM server_presence WHERE left_at IS NULL"
        )
        return {int(r["guild_id"]) for r in rows}

    async def known_ids(self) -> set[int]:
        """Servers whose data may still be kept: present, or left and not yet purged."""
        rows = await self.store.fetchall("SELECT guild_id FROM server_presence")
        return {int(r["guild_id"]) for r in rows}


class PresencePersonalData:
    """Per-server core rows (server_presence, and guild_settings: notices channel, default zone,
    accountability channel) hold servers, not members: nothing to export or delete for a
    member; a purged server's rows go with the rest of its data."""

    feature = "servers"
    tables = ("server_presence", "guild_settings")

    async def export(self, conn: aiosqlite.Connection, subject: object) -> dict[str, list[Any]]:
        return {}

    async def delete(self, conn: aiosqlite.Connection, subject: object) -> dict[str, int]:
        return {}

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        return {
            table: await delete_rows(conn, f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            for table in self.tables
        }
