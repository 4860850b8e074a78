"""Sharing the token's rate limit across a fleet: what a process may send, per second, now.

Discord's global limit (50 requests/s) is per bot token, so a fleet's processes split it. The
floor is a fixed share: each process paces at its shards' part of the limit (`fixed`). When a
process has nothing to send for a while (its servers' morning is out, the neighbour's is not),
its part sits unused; with `shared` (the default) it lends most of it to the busy ones through
the database:

- A process whose next work is at least `MIN_IDLE_SECONDS` away *promises* to pace at
  `IDLE_KEEPS` of its share until an instant (`idle_until` in its lease rows): at most
  `PROMISE_SECONDS` ahead and never past its next work. It slows its own pacer first, then
  writes the promise, and renews it at each look while it stays idle.
- The others read the promises (every `POLL_SECONDS`) and split what an idle process lends
  equally among the busy ones, until `MARGIN_SECONDS` before the promise ends; that end is set
  in their pacers, so they slow down in time even if they stall and read nothing more.
- A process that gets work again keeps its promise to its end (it does not take its part back
  early), then paces at its own share. New work on an idle process therefore goes out at the
  kept rate for at most `PROMISE_SECONDS`; on-demand sends (an interaction's reply) are not
  paced at all (bot.app.paced_request).

So the shares the live processes pace at never add up past the limit, whoever looked when:
a promise is only counted before its end, and a process that starts while others lend paces at
its kept rate until every neighbour has looked at least once. Measured against `fixed`:
benchmarks/README.md, "Sharing unused budget".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Budget = Literal["shared", "fixed"]
BUDGETS: tuple[Budget, ...] = ("shared", "fixed")

#: The part of its share an idle process keeps for sends nobody planned (a story posted now).
IDLE_KEEPS = 0.1
#: A process calls itself idle when its next work is at least this far away.
MIN_IDLE_SECONDS = 4.0
#: How far ahead a promise reaches (renewed at each look while idle).
PROMISE_SECONDS = 15.0
#: The others stop counting a promise this long before its end: clocks of different hosts,
#: and a request already past the pacer, must not meet the promiser's own full rate.
MARGIN_SECONDS = 2.0
#: How often a process reads the others' promises.
POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Plan:
    """A pacer's rate (requests/s), until an instant (unix seconds; None: until the next
    plan), and the rate after it."""

    rate: float
    until: float | None
    then: float


@dataclass(frozen=True, slots=True)
class Neighbour:
    """Another live process, as its lease rows show it."""

    shards: int
    idle_until: float


def fleet_share(limit: float, share: float) -> float:
    """One process's requests/s at its fraction of the token's limit (at least 1/s)."""
    return max(1.0, limit * share)


def plan(
    *,
    limit: float,
    own_share: float,
    shard_count: int,
    neighbours: Mapping[str, Neighbour],
    promise: float,
    now: float,
) -> Plan:
    """This process's pace: `own_share` of `limit` (its shards and its part of orphaned ones,
    bot.fleet.leases.ShardLeases.share), less while it promises (`promise` after `now`), more
    while neighbours promise."""
    own = fleet_share(limit, own_share)
    if promise > now:
        return Plan(kept(own), promise, own)
    lending = {holder: n for holder, n in neighbours.items() if n.idle_until - MARGIN_SECONDS > now}
    if not lending or shard_count <= 0:
        return Plan(own, None, own)
    busy = 1 + len(neighbours) - len(lending)
    lent = 0.0
    for n in lending.values():
        theirs = limit * n.shards / shard_count
        lent += max(0.0, theirs - kept(theirs))
    until = min(n.idle_until for n in lending.values()) - MARGIN_SECONDS
    return Plan(own + lent / busy, until, own)


def kept(own: float) -> float:
    """What a lending process still sends at, of its own rate `own` (at least 1/s)."""
    return min(own, max(1.0, own * IDLE_KEEPS))


def promise_until(now: float, next_work: float | None) -> float | None:
    """How long an idle process promises to keep to its kept rate (None: it is not idle)."""
    if next_work is not None and next_work - now < MIN_IDLE_SECONDS:
        return None
    end = now + PROMISE_SECONDS
    return end if next_work is None else min(end, next_work)
