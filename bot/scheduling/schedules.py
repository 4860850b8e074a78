"""The scheduler's front for features: register handlers, write and read schedules and runs.

A feature holds the Scheduler (bot.scheduling.runner), which inherits this: it puts and removes
its jobs inside its own transactions, claims an occurrence by hand, asks what became of a run,
and registers its history pruning. The SQL is the jobs repository's (bot.scheduling.jobs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from bot.clock import Clock
from bot.db import Connection, Store
from bot.scheduling import jobs
from bot.scheduling.housekeeping import Housekeeping
from bot.scheduling.model import (
    Housekeeper,
    JobHandler,
    Outcome,
    Recorder,
    RunState,
    is_resumable,
)
from bot.scheduling.scope import ClaimScope, guild_of
from bot.timekeeping import Occurrence

if TYPE_CHECKING:
    from bot.scheduling.events import Events

log = logging.getLogger(__name__)


class Schedules:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._handlers: dict[str, JobHandler] = {}
        self.housekeeping = Housekeeping(store, clock, timedelta(days=30))
        self._events: Events | None = None
        #: A fleet process's view of which work it claims (bot.fleet sets it; None: all).
        self.scope_of_claims: Callable[[], ClaimScope | None] | None = None
        #: A fleet process's lease holder, recorded on its claims (None: one process).
        self.claimer: str | None = None
        #: The fleet's live lease holders (their claimed runs are in flight, not crashed).
        self.live_claimers: Callable[[], Iterable[str]] | None = None
        #: How long after a crash a run may be re-sent with its nonce (Discord's dedupe).
        self.nonce_window = timedelta(minutes=2)

    async def recover(self) -> tuple[int, int]:
        """Runs left `claimed` by a crash: (sent again, recorded interrupted)."""
        async with self._store.transaction() as conn:
            resent, lost = await self.recover_in(conn)
        if resent:
            log.info("%d scheduled run(s) were in flight at the last stop; sending again", resent)
        if lost:
            log.warning("%d scheduled run(s) were interrupted too long ago to re-send safely", lost)
        return resent, lost

    async def recover_in(
        self, conn: Connection, live: Iterable[str] | None = None
    ) -> tuple[int, int]:
        """`recover` in the caller's transaction; in a fleet, only runs of processes that
        hold no live lease (`live`, default: `live_claimers`) were left by a crash."""
        now = self._clock.now()
        if live is None and self.live_claimers is not None:
            live = list(self.live_claimers())
        # Kinds whose handler looks before it creates (bot.creating) are safe to run again at
        # any age; the others rely on Discord's nonce, which only holds inside its window.
        resumable = [k for k, h in self._handlers.items() if is_resumable(h)]
        return await jobs.recover(conn, now, now - self.nonce_window, resumable, live)

    def claim_scope(self) -> ClaimScope | None:
        """The shards whose work this process claims now (None: one process, all of it)."""
        return self.scope_of_claims() if self.scope_of_claims is not None else None

    @property
    def history(self) -> timedelta:
        """How long finished run history is kept."""
        return self.housekeeping.history

    @history.setter
    def history(self, keep: timedelta) -> None:
        self.housekeeping.history = keep

    def wake(self) -> None:
        """Look for due work now (the runner's)."""
        raise NotImplementedError

    @property
    def events(self) -> Events:
        """Durable events delivered as jobs of this scheduler (bot/scheduling/events.py)."""
        if self._events is None:
            # Imported here: bot.scheduling.events builds on this package.
            from bot.scheduling.events import Events

            self._events = Events(self, self._store)
        return self._events

    def clock_now(self) -> datetime:
        return self._clock.now()

    # -- registration ---------------------------------------------------------------------------

    def register(self, handler: JobHandler) -> None:
        if handler.kind in self._handlers and self._handlers[handler.kind] is not handler:
            raise ValueError(f"a handler for {handler.kind!r} is already registered")
        self._handlers[handler.kind] = handler

    def unregister(self, kind: str) -> None:
        self._handlers.pop(kind, None)

    def add_housekeeping(self, prune: Housekeeper) -> None:
        """`prune(conn, cutoff)` deletes a feature's history older than `cutoff`; hourly."""
        self.housekeeping.add(prune)

    def remove_housekeeping(self, prune: Housekeeper) -> None:
        self.housekeeping.remove(prune)

    # -- writing schedules ----------------------------------------------------------------------

    async def put_job(
        self,
        conn: Connection,
        kind: str,
        key: str,
        rule: Mapping[str, Any],
        *,
        after: datetime | None = None,
        guild_id: int | None = None,
    ) -> Occurrence | None:
        """Create or replace a schedule inside the caller's transaction; returns its next run.

        `guild_id`: the server the work is for (a fleet's process of its shard claims it first,
        retries included); default: the handler's ``guild_of``, else work of no server (a
        member's DM), which any process takes."""
        handler = self._handlers[kind]
        nxt = handler.next_occurrence(rule, after or self._clock.now())
        if nxt is None:
            await self.remove_job(conn, kind, key)
            return None
        guild = guild_id if guild_id is not None else guild_of(handler, key, rule)
        await jobs.put_job(conn, kind, key, rule, nxt, guild)
        self.wake()  # the loop may be asleep until a later instant
        return nxt

    async def remove_job(self, conn: Connection, kind: str, key: str) -> None:
        await jobs.remove_job(conn, kind, key)

    async def claim_occurrence(
        self,
        conn: Connection,
        kind: str,
        key: str,
        occurrence: str,
        *,
        due_at: datetime,
        status: Literal["claimed", "done", "skipped", "missed"] = "claimed",
        detail: str | None = None,
    ) -> bool:
        """Claim one occurrence by hand. False if it was already taken."""
        return await jobs.claim_occurrence(
            conn,
            kind,
            key,
            occurrence,
            due_at=due_at,
            now=self._clock.now(),
            status=status,
            detail=detail,
            claimer=self.claimer,
        )

    async def reclaim_occurrence(
        self, conn: Connection, kind: str, key: str, occurrence: str
    ) -> bool:
        """Take back an occurrence that ended without doing its work (missed, failed,
        interrupted, skipped) or waits for a retry, e.g. for "post today's now"."""
        return await jobs.reclaim_occurrence(
            conn, kind, key, occurrence, now=self._clock.now(), claimer=self.claimer
        )

    async def finish_claim(
        self,
        kind: str,
        key: str,
        occurrence: str,
        outcome: Outcome,
        detail: str | None = None,
        record: Recorder | None = None,
    ) -> None:
        """Record a run's outcome, and `record`'s writes with it (one transaction)."""
        await self._store.run(
            jobs.finishing(kind, key, occurrence, outcome, detail, record, self._clock.now())
        )

    async def retry_now(self, kind: str, key: str) -> int:
        """Bring a key's pending retries forward to now (e.g. its server came back)."""
        changed = await jobs.retry_now(self._store, kind, key, self._clock.now())
        if changed:
            self.wake()
        return changed

    async def retry_waiting(self, detail: str) -> int:
        """Bring forward every pending retry waiting for `detail` (e.g. a server came back)."""
        changed = await jobs.retry_waiting(self._store, detail, self._clock.now())
        if changed:
            self.wake()
        return changed

    # -- reading --------------------------------------------------------------------------------

    async def next_run(self, kind: str, key: str) -> Occurrence | None:
        return await jobs.next_run(self._store, kind, key)

    async def next_due_at(self) -> datetime | None:
        """The earliest next run or pending retry over every registered kind."""
        return await jobs.next_due_at(self._store, list(self._handlers), self.claim_scope())

    async def run_status(self, kind: str, key: str, occurrence: str) -> str | None:
        return await jobs.run_status(self._store, kind, key, occurrence)

    async def run_state(self, kind: str, key: str, occurrence: str) -> RunState:
        """ "done", "in_progress" (being sent, or waiting for a retry) or "not_done"."""
        status = await self.run_status(kind, key, occurrence)
        if status == "done":
            return "done"
        if status in ("claimed", "pending"):
            return "in_progress"
        return "not_done"

    # -- housekeeping ---------------------------------------------------------------------------

    async def prune(self, now: datetime | None = None) -> int:
        """Delete finished run history (and features' registered history) past retention."""
        return await self.housekeeping.prune(now)
