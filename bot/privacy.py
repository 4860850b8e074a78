"""What each feature stores about a member, so `/privacy export` and `/privacy delete` see it all.

Each feature registers one `PersonalData` provider with the `PrivacyRegistry` (`bot.privacy`),
answering for its own tables. What a provider must do: docs/design.md, "Personal data".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import aiosqlite

if TYPE_CHECKING:
    from bot.db import Store

Row = dict[str, Any]


def iso_instant(seconds: int) -> str:
    """Unix seconds as ISO 8601 in UTC, e.g. 2026-03-02T06:00:00+00:00."""
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def readable(
    row: Mapping[str, Any] | aiosqlite.Row,
    *,
    json_fields: Sequence[str] = (),
    day_sets: Mapping[str, str] | None = None,
) -> Row:
    """A stored row as a person reads it: named fields, instants (`*_at`) in ISO 8601, ids
    (`*_id`) as strings like Discord's, JSON text (the fields named) as nested values, and
    weekday masks (`day_sets`: column -> the key it is exported as) as the days' names."""
    out: Row = {}
    for key, value in dict(row).items():
        if day_sets and key in day_sets and isinstance(value, int):
            out[day_sets[key]] = day_names(value)
        elif key.endswith("_id") and isinstance(value, int):
            out[key] = str(value)  # Discord ids are strings in JSON: too big for a JS number
        elif key.endswith("_at") and isinstance(value, int):
            out[key] = iso_instant(value)
        elif key in json_fields and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        else:
            out[key] = value
    return out


# Stored as 0/1, meaning yes or no: exported as booleans. A test checks that every column the
# migrations declare `CHECK (x IN (0, 1))` is named here.
YES_NO_COLUMNS = frozenset(
    {
        "active",
        "anonymous",
        "approval",
        "backfilled",
        "card",
        "celebrate",
        "crisis",
        "digest_muted",
        "dm_opt_in",
        "followers_told",
        "leaderboard",
        "links_allowed",
        "notice_pending",
        "paused",
        "roundup_enabled",
    }
)
# One key name per idea: the older names of an idea, and the one the export uses.
KEY_NAMES = {"server_id": "guild_id", "tz": "timezone", "zone": "timezone"}
# Inside a schedule's rule (scheduled_jobs.rule): unix seconds, and a weekday set as a mask.
_RULE_INSTANTS = frozenset({"at", "due", "left_at", "purge_at"})
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_names(mask: int) -> list[str]:
    """A stored set of weekdays (bit 0 = Monday) as the days' names."""
    return [name for bit, name in enumerate(DAY_NAMES) if mask & (1 << bit)]


def tidy(value: Any) -> Any:
    """An export's rows, the same way everywhere: Discord ids as strings (`*_id`), instants in
    ISO 8601 (`*_at`, and a schedule rule's), yes/no as booleans, weekdays and day masks as day
    names (`days_mask` → `days`), one key name per idea (`guild_id`, `timezone`). Applied to
    every row every provider exports (nested values too)."""
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: Row = {}
    for stored, item in value.items():
        key: str = KEY_NAMES.get(str(stored), str(stored))
        if isinstance(item, bool) or item is None:
            pass
        elif key.endswith("_mask") and isinstance(item, int):
            key, item = key.removesuffix("_mask"), day_names(item)
        elif key.endswith("_id") and isinstance(item, int):
            item = str(item)  # too big for a JavaScript number
        elif key == "weekday" and isinstance(item, int) and 0 <= item < len(DAY_NAMES):
            item = DAY_NAMES[item]
        elif key == "rule" and isinstance(item, dict):
            item = tidy(_readable_rule(item))
        elif key.endswith("_at") and isinstance(item, int):
            item = iso_instant(item)
        elif key in YES_NO_COLUMNS and item in (0, 1):
            item = bool(item)
        else:
            item = tidy(item)
        out[key] = item
    return out


def _readable_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out = dict(rule)
    for key, value in rule.items():
        if key == "days" and isinstance(value, int):
            out[key] = day_names(value)
        elif key in _RULE_INSTANTS and isinstance(value, int):
            out[key] = iso_instant(value)
    return out


async def fetch_rows(
    conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = (), **readable_options: Any
) -> list[Row]:
    """Run one SELECT inside a provider and return readable rows."""
    cursor = await conn.execute(sql, params)
    return [readable(dict(r), **readable_options) for r in await cursor.fetchall()]


async def delete_rows(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    cursor = await conn.execute(sql, params)
    return max(cursor.rowcount, 0)


@dataclass(frozen=True, slots=True)
class Subject:
    """The member a privacy request is about."""

    user_id: int
    # The servers the request covers (those the bot shares with the member, or all it knows).
    guild_ids: Sequence[int]
    # pseudonym(scope, user_id) from the bot's Anonymizer, for features that store pseudonyms.
    pseudonym: Callable[[str, int], str]


class PersonalData(Protocol):
    """A feature's answer to "what do you store about this member?"."""

    feature: str

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        """Every row about the member, per table, readable by a person."""
        ...

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        """Remove every row about the member; the number removed per table."""
        ...

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        """Remove everything kept for one server (the bot left it and the retention period
        passed); the number removed per table."""
        ...


@runtime_checkable
class PublicPosts(Protocol):
    """Optional on a provider: take down from Discord what the member posted through the bot."""

    async def remove_public(self, subject: Subject) -> dict[str, int]:
        """Delete the member's posts on Discord (already gone counts as done); the number taken
        down per kind. Runs outside any transaction, before `delete`."""
        ...


@dataclass
class PrivacyRegistry:
    providers: dict[str, PersonalData] = field(default_factory=dict)

    def register(self, provider: PersonalData) -> None:
        existing = self.providers.get(provider.feature)
        if existing is not None and existing is not provider:
            raise ValueError(f"a privacy provider for {provider.feature!r} is already registered")
        self.providers[provider.feature] = provider

    def unregister(self, feature: str) -> None:
        self.providers.pop(feature, None)

    def all(self) -> list[PersonalData]:
        return [self.providers[name] for name in sorted(self.providers)]

    async def export(self, store: Store, subject: Subject) -> dict[str, dict[str, list[Row]]]:
        """Every provider's rows about the member, read in one transaction (one snapshot)."""
        async with store.transaction() as conn:
            data = {p.feature: await p.export(conn, subject) for p in self.all()}
        return {
            feature: {table: tidy(rows) for table, rows in tables.items()}
            for feature, tables in data.items()
        }

    async def remove_public(self, subject: Subject) -> dict[str, dict[str, int]]:
        """Every provider's Discord-side removal (those that have one), before rows go."""
        removed: dict[str, dict[str, int]] = {}
        for provider in self.all():
            if isinstance(provider, PublicPosts):
                removed[provider.feature] = await provider.remove_public(subject)
        return removed

    async def delete(self, store: Store, subject: Subject) -> dict[str, dict[str, int]]:
        """Remove the member's rows from every provider, all or nothing."""
        async with store.transaction() as conn:
            return {p.feature: await p.delete(conn, subject) for p in self.all()}

    async def delete_guild(self, store: Store, guild_id: int) -> dict[str, dict[str, int]]:
        """Remove one server's data from every provider, all or nothing."""
        async with store.transaction() as conn:
            return {p.feature: await p.delete_guild(conn, guild_id) for p in self.all()}


def owned_tables(provider: PersonalData) -> frozenset[str]:
    """The tables a provider says it answers for (its optional `tables` attribute: table names,
    or objects with a `name`)."""
    return frozenset(str(getattr(t, "name", t)) for t in getattr(provider, "tables", ()))


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
    # Weekday masks, exported as the days' names under another key (column -> key).
    day_sets: ClassVar[Mapping[str, str]] = {}

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for table in self.tables:
            out[table.name] = await fetch_rows(
                conn,
                f"SELECT * FROM {table.name} WHERE {table.member_where}",
                (subject.user_id,),
                day_sets=self.day_sets,
            )
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
