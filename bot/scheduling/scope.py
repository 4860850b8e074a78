"""Which due work this process claims, in a fleet of shard processes (bot/fleet).

A single process claims everything (no scope). A fleet process claims, first, the work of its
own shards' servers and the work of no server (member DMs, the privacy purge); then the work of
servers whose shard has no live lease (its process has been gone longer than the lease). Work
of a shard another live process holds is left to it. Claims stay exactly-once whatever the
scope says (a claim is a unique insert or a conditional update): the scope only decides who
tries first, so a stale view of the leases costs time, never a duplicate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

#: ``guild_id / 4194304`` is ``guild_id >> 22`` in SQL both SQLite and PostgreSQL accept.
SHARD_DIVISOR = 1 << 22


@dataclass(frozen=True, slots=True)
class ClaimScope:
    """The shards whose servers' work this process claims: its own, then the orphaned."""

    shard_count: int
    own: tuple[int, ...]
    orphaned: tuple[int, ...] = ()

    def own_sql(self, column: str) -> tuple[str, tuple[Any, ...]]:
        """A WHERE fragment (and its parameters): work of no server or of an own shard."""
        return _shards_sql(column, self.shard_count, self.own, with_null=True)

    def orphaned_sql(self, column: str) -> tuple[str, tuple[Any, ...]] | None:
        """A WHERE fragment for the orphaned shards' servers, or None when there are none."""
        if not self.orphaned:
            return None
        return _shards_sql(column, self.shard_count, self.orphaned, with_null=False)

    def any_sql(self, column: str) -> tuple[str, tuple[Any, ...]]:
        """A WHERE fragment for all the work this process may claim now."""
        shards = tuple(sorted(set(self.own) | set(self.orphaned)))
        return _shards_sql(column, self.shard_count, shards, with_null=True)


def scope_passes(
    scope: ClaimScope | None, column: str = "guild_id"
) -> list[tuple[str, tuple[Any, ...]]]:
    """The reads of one claim (due schedules, or pending retries by `column`), in order:
    everything, or own shards then orphaned."""
    if scope is None:
        return [("", ())]
    own_where, own_params = scope.own_sql(column)
    passes = [(f"AND {own_where} ", own_params)]
    orphaned = scope.orphaned_sql(column)
    if orphaned is not None:
        passes.append((f"AND {orphaned[0]} ", orphaned[1]))
    return passes


def _shards_sql(
    column: str, count: int, shards: tuple[int, ...], *, with_null: bool
) -> tuple[str, tuple[Any, ...]]:
    marks = ",".join("?" for _ in shards) or "NULL"
    shard_test = f"({column} / {SHARD_DIVISOR}) % ? IN ({marks})"
    if with_null:
        return f"({column} IS NULL OR {shard_test})", (count, *shards)
    return f"({column} IS NOT NULL AND {shard_test})", (count, *shards)


class GuildOf(Protocol):
    """A JobHandler whose work belongs to a server says which (its shard's process claims it
    first); handlers without it are work of no server, claimed by any process."""

    def guild_of(self, key: str, rule: Mapping[str, Any]) -> int | None: ...


def guild_of(handler: object, key: str, rule: Mapping[str, Any]) -> int | None:
    """The server of a job, if its handler says."""
    method = getattr(handler, "guild_of", None)
    if method is None:
        return None
    try:
        guild = method(key, rule)
    except (TypeError, ValueError):
        return None
    return int(guild) if guild is not None else None
