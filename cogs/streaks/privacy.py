"""What streaks keep about a member, for /privacy export and /privacy delete (bot/privacy.py).

Rows are found by the member's user id in every server (a member who left a server still gets
their check-ins there exported and deleted). Local dates stay ISO dates; instants become ISO
8601 UTC strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.privacy import Row, Subject, day_names
from bot.scheduling import from_epoch

# Columns holding unix seconds, shown as ISO 8601 in an export.
_INSTANT_COLUMNS = frozenset(
    {
        "created_at",
        "updated_at",
        "posted_at",
        "prompted_at",
        "goals_set_at",
        "reviewed_at",
    }
)


def readable(row: aiosqlite.Row) -> Row:
    out: dict[str, Any] = {}
    for key in row.keys():  # noqa: SIM118 - aiosqlite.Row has keys(), not iteration over keys
        value = row[key]
        if key in _INSTANT_COLUMNS and isinstance(value, int):
            value = from_epoch(value).isoformat()
        if key == "days_mask" and isinstance(value, int):
            # The only mask here: a rest-day rule's weekdays, written out by name.
            out["rest_days"] = day_names(value)
            continue
        out[key] = value
    return out


@dataclass(frozen=True, slots=True)
class MemberTable:
    """One table: how to select a member's rows and a server's rows (SQL after FROM)."""

    name: str
    member_where: str = "user_id = ?"
    guild_where: str | None = "guild_id = ?"


class TablesPrivacy:
    """A PersonalData provider over plain tables keyed by user_id (and guild_id)."""

    feature: str = ""
    tables: tuple[MemberTable, ...] = ()
    # Tables only about a server (no member data), removed with the server.
    guild_tables: tuple[str, ...] = ()

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for table in self.tables:
            cursor = await conn.execute(
                f"SELECT * FROM {table.name} WHERE {table.member_where}", (subject.user_id,)
            )
            out[table.name] = [readable(r) for r in await cursor.fetchall()]
        return out

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        removed: dict[str, int] = {}
        for table in self.tables:
            cursor = await conn.execute(
                f"DELETE FROM {table.name} WHERE {table.member_where}", (subject.user_id,)
            )
            removed[table.name] = cursor.rowcount
        return removed

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        removed: dict[str, int] = {}
        for table in self.tables:
            if table.guild_where is None:
                continue
            cursor = await conn.execute(
                f"DELETE FROM {table.name} WHERE {table.guild_where}", (guild_id,)
            )
            removed[table.name] = cursor.rowcount
        for name in self.guild_tables:
            cursor = await conn.execute(f"DELETE FROM {name} WHERE guild_id = ?", (guild_id,))
            removed[name] = cursor.rowcount
        return removed


class StreaksPrivacy(TablesPrivacy):
    feature = "streaks"
    tables = (
        MemberTable("streak_checkins"),
        MemberTable("streak_profiles"),
        MemberTable("streak_rest_rules"),
        MemberTable("streak_pauses"),
        MemberTable("streak_travel_days"),
        MemberTable("streak_celebrations"),
    )
    guild_tables = ("streak_guild_settings",)
