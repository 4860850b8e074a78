"""A member's own settings for the whole bot (table member_settings): today, their time zone.

`/timezone set` (cogs/timezone) writes it; every feature that works in a member's local time
reads it through `member_timezone` or, with the fallbacks applied, `resolve_timezone`:
the member's zone, else the server's default zone, else UTC. A change is announced as the
durable event MEMBER_TIMEZONE_CHANGED (`announce_timezone_change`), in the transaction that
stores it; the member id travels sealed (`changed_member` opens it), never in clear.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.anonymity import Anonymizer
from bot.db import Store
from bot.scheduling import to_epoch
from bot.seams import MEMBER_TIMEZONE_CHANGED

if TYPE_CHECKING:
    from bot.scheduling import DueRun, RunOutcome
    from bot.scheduling.events import Event, Events

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


#: The two places a zone can come from, as scalar subqueries a feature may put in its own
#: statement (parameters: the member id, then the server id); `zone_from` picks between them.
ZONE_SOURCES = (
    "(SELECT timezone FROM member_settings WHERE user_id = ?)",
    "(SELECT default_timezone FROM guild_settings WHERE guild_id = ?)",
)


def zone_from(own: object, server: object) -> ResolvedZone:
    """The member's zone, else the server's default, else UTC, from ZONE_SOURCES' values."""
    if own:
        return ResolvedZone(str(own), "member")
    if server:
        return ResolvedZone(str(server), "server")
    return ResolvedZone(DEFAULT_ZONE, "default")


async def resolve_timezone_in(
    conn: aiosqlite.Connection, user_id: int, guild_id: int | None
) -> ResolvedZone:
    """The same inside a transaction (or a `Store.run` body), in one statement."""
    own, server = ZONE_SOURCES
    cursor = await conn.execute(f"SELECT {own} AS own, {server} AS server", (user_id, guild_id))
    row = await cursor.fetchone()
    return zone_from(row["own"], row["server"]) if row is not None else zone_from(None, None)


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


async def announce_timezone_change(
    conn: aiosqlite.Connection, events: Events, anonymizer: Anonymizer, user_id: int
) -> None:
    """MEMBER_TIMEZONE_CHANGED, in the caller's transaction: each feature that follows a
    member's zone runs once from it, after a crash too. Its key is a random token and its
    data the member id sealed for this event alone, so neither the event nor its runs' history
    holds a member id in clear."""
    sealed = anonymizer.seal(str(user_id).encode(), context=MEMBER_TIMEZONE_CHANGED)
    await events.emit(conn, MEMBER_TIMEZONE_CHANGED, secrets.token_urlsafe(12), {"member": sealed})


def changed_member(event: Event, anonymizer: Anonymizer) -> int | None:
    """The member a MEMBER_TIMEZONE_CHANGED event is about (None: not sealed by this key)."""
    opened = anonymizer.unseal(str(event.data.get("member", "")), context=event.name)
    return int(opened) if opened else None


class ZoneFollower:
    """A feature's subscriber to MEMBER_TIMEZONE_CHANGED (``scheduler.events.subscribe``):
    one run of job `kind` per change, which calls ``follow(user_id)``. ``follow`` reads the
    member's zone as it is when it runs, so a late or repeated run lands the same."""

    event = MEMBER_TIMEZONE_CHANGED
    # A restart a few hours later still follows the change; after a day, the next change will.
    grace = timedelta(days=1)

    def __init__(
        self, kind: str, follow: Callable[[int], Awaitable[object]], anonymizer: Anonymizer
    ) -> None:
        self.kind = kind
        self._follow = follow
        self._anonymizer = anonymizer

    async def handle(self, event: Event, run: DueRun) -> RunOutcome:
        user_id = changed_member(event, self._anonymizer)
        if user_id is None:
            return "skipped", "sealed with another key"
        await self._follow(user_id)
        return "done", None
