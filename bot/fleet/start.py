"""What a fleet process needs before it starts, and how it joins the bot it runs.

A fleet runs on PostgreSQL only (several processes writing one SQLite file would queue behind
its single writer lock, and there is no lease across hosts); every process must key pseudonyms
with the same secret, so the key comes from REBOUND_SECRET_KEY or a key file path given to all,
never from a key file a process would create for itself (and never from the database).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from bot.db import is_postgres_url
from bot.fleet.budget import fleet_share as fleet_share  # re-exported: one rule
from bot.fleet.leases import ShardLeases
from bot.pacing import Pacer
from bot.scheduling import Scheduler
from bot.settings import Settings

log = logging.getLogger(__name__)

FLEET_NEEDS_POSTGRESQL = """\
Rebound can't start this fleet process: --shards (REBOUND_SHARDS) runs several processes on one
database, and the database here is SQLite ({db}), which one process owns. Set DATABASE_URL to a
PostgreSQL database (postgresql://user:password@host/rebound) for every process of the fleet, and
move the data over with `python -m bot migrate-store --to postgresql://…`; or run one process
without --shards, as before. Nothing was created or changed."""

FLEET_NEEDS_KEY = """\
Rebound can't start this fleet process: every process of a fleet must key pseudonyms with the
same secret (a story shared through one process must be the same author's in another), so the
key cannot be one this process would create for itself. Set REBOUND_SECRET_KEY to the same value
in every process, or REBOUND_SECRET_KEY_FILE to a path every process reads (see
docs/operations.md, "A fleet of processes"). The key never goes into the database. Nothing was
created or changed."""


def on_postgresql(settings: Settings) -> bool:
    """Whether the store is PostgreSQL (DATABASE_URL), where a fleet may run."""
    return settings.database_url is not None and is_postgres_url(settings.database_url)


def fleet_problem(settings: Settings) -> str | None:
    """Why this process may not run as part of a fleet (None: it may, or it is no fleet)."""
    if settings.shards is None:
        return None
    if not on_postgresql(settings):
        return FLEET_NEEDS_POSTGRESQL.format(db=settings.db_path)
    if not settings.secret_key and settings.secret_key_path is None:
        return FLEET_NEEDS_KEY
    return None


class _Closable(Protocol):
    first_claim_delay: float

    async def close(self) -> None: ...


def join(
    leases: ShardLeases,
    bot: _Closable,
    scheduler: Scheduler,
    pacer: Pacer,
    rate: float,
    *,
    delay_first_claim: bool = True,
) -> None:
    """Wire the leases into the running bot: claims follow them, the pacer takes this
    process's share of the token's limit, and a lost lease stops the process."""
    scheduler.scope_of_claims = leases.scope
    scheduler.claimer = leases.holder
    scheduler.live_claimers = lambda: leases.live_holders
    leases.recover_in = scheduler.recover_in
    if leases.shards is not None:
        scheduler.housekeeping.once_across_fleet = True

    if leases.sharing:
        scheduler.on_next_work = leases.note_next_work
    shown: tuple[float, int] | None = None
    seen: tuple[tuple[int, ...], int] | None = None

    def changed() -> None:
        nonlocal shown, seen
        plan = leases.plan(rate)
        # The plan's end is an instant of the clock; the pacer counts on its own monotonic one.
        until = None if plan.until is None else pacer_instant(plan.until)
        pacer.set_rate(plan.rate, until=until, then=plan.then)
        if (plan.then, leases.processes) != shown:
            shown = (plan.then, leases.processes)
            log.info(
                "%d process(es) in the fleet: pacing this one at %.1f requests/s%s",
                leases.processes,
                plan.then,
                " (lending or borrowing unused budget)" if leases.sharing else "",
            )
        if (leases.orphaned, leases.processes) != seen:
            seen = (leases.orphaned, leases.processes)
            scheduler.wake()  # orphaned shards' due work may be waiting

    def pacer_instant(at: float) -> float:
        return time.monotonic() + (at - leases.clock_instant())

    tasks: set[asyncio.Task[Any]] = set()

    def lost() -> None:
        task = asyncio.ensure_future(bot.close())
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    leases.on_change = changed
    leases.on_lost = lost
    changed()
    if delay_first_claim and leases.shards is not None:
        # A neighbour may still count this process's shards as orphaned (and pace itself for
        # them) until its next look: claim nothing until it has looked.
        bot.first_claim_delay = leases.refresh_seconds
