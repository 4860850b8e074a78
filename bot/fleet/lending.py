"""A fleet process's side of sharing the token's rate limit (the rules: bot.fleet.budget):
its promise to lend, written in its lease rows, and its view of the neighbours' promises. A
part of bot.fleet.leases.ShardLeases, which holds the rows and looks at the fleet."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from bot.clock import Clock
from bot.db import Store
from bot.fleet import budget as budget_

log = logging.getLogger(__name__)


class Lending:
    """Lend this process's unused part of the limit and borrow the others' (`shared`), or
    neither (`fixed`)."""

    _store: Store
    _clock: Clock
    holder: str
    shards: tuple[int, ...] | None
    shard_count: int | None
    held: bool
    on_change: Callable[[], None] | None

    def _init_lending(self, budget: budget_.Budget) -> None:
        #: "shared": lend this process's unused part of the limit, borrow the others'
        #: (bot.fleet.budget); "fixed": pace at the own share only.
        self.budget = budget
        #: The other live processes' shards and promises, at the last look or poll.
        self.neighbours: dict[str, budget_.Neighbour] = {}
        #: Until when this process promised to pace at its kept rate (unix seconds; 0: no
        #: promise). Its pacer holds the promise before the database shows it.
        self.promise = 0.0
        #: When this process's next work is due (unix seconds; inf: none), while it is idle.
        self._idle_next: float | None = None
        self._cautious_until = 0.0
        self._promise_writes: set[asyncio.Task[None]] = set()

    @property
    def share(self) -> float:
        raise NotImplementedError

    def clock_instant(self) -> float:
        """Now on the clock the promises are written in (unix seconds)."""
        return self._clock.now().timestamp()

    def _joined(self) -> None:
        """Just took its leases: cautious while a neighbour lends (see `plan`)."""
        now = self.clock_instant()
        if any(n.idle_until > now for n in self.neighbours.values()):
            self._cautious_until = now + budget_.POLL_SECONDS + budget_.MARGIN_SECONDS

    def _cancel_promise_writes(self) -> None:
        for task in list(self._promise_writes):
            task.cancel()

    @property
    def sharing(self) -> bool:
        return self.budget == "shared" and self.shards is not None and bool(self.shard_count)

    def _read_neighbours(self, leases: Iterable[tuple[str, int]]) -> bool:
        """The other live processes' shards and promises, from their lease rows (holder and
        promise, one per shard); True if the view changed."""
        view: dict[str, budget_.Neighbour] = {}
        for holder, idle_until in leases:
            if holder == self.holder:
                continue
            seen = view.get(holder)
            view[holder] = budget_.Neighbour(
                (seen.shards if seen else 0) + 1,
                min(seen.idle_until, idle_until) if seen else idle_until,
            )
        changed = view != self.neighbours
        self.neighbours = view
        return changed

    def plan(self, limit: float) -> budget_.Plan:
        """What this process's pacer should do now (its share, lent or borrowed)."""
        own = self.share
        if not self.sharing:
            rate = budget_.fleet_share(limit, own)
            return budget_.Plan(rate, None, rate)
        now = self.clock_instant()
        promise = self.promise
        if self._cautious_until > now:
            # It started while a neighbour lent: the busy ones may be splitting the lent part
            # among the processes they knew. Kept rate until every neighbour has looked once.
            promise = max(promise, self._cautious_until)
        return budget_.plan(
            limit=limit,
            own_share=own,
            shard_count=self.shard_count or 0,
            neighbours=self.neighbours,
            promise=promise,
            now=now,
        )

    def note_next_work(self, next_work: float | None) -> None:
        """The scheduler's word after a pass: when its next work is due (unix seconds; None:
        nothing planned). Far enough away, the process promises to lend its part at once."""
        if not self.sharing or not self.held:
            return
        now = self.clock_instant()
        if budget_.promise_until(now, next_work) is None:
            self._idle_next = None
            return
        self._idle_next = float("inf") if next_work is None else next_work
        if self.promise - budget_.MARGIN_SECONDS > now:
            return  # already promised; the next look extends it
        idle_until = self._extend_promise()
        if idle_until:
            task = asyncio.ensure_future(self._write_promise(idle_until))
            self._promise_writes.add(task)
            task.add_done_callback(self._promise_writes.discard)

    def _extend_promise(self) -> int:
        """While idle, move this process's promise further (its pacer first, through
        on_change); the instant to write in its lease rows (0: no new promise)."""
        if not self.sharing or self._idle_next is None:
            return 0
        now = self.clock_instant()
        nxt = None if self._idle_next == float("inf") else self._idle_next
        end = budget_.promise_until(now, nxt)
        if end is None:
            self._idle_next = None
            return 0
        until = int(end)  # whole seconds in the database; the pacer keeps to the exact end
        if until <= self.promise:
            return int(self.promise)
        self.promise = float(until)
        if self.on_change is not None:
            self.on_change()
        return until

    async def _write_promise(self, idle_until: int) -> None:
        try:
            await self._store.execute(
                "UPDATE shard_leases SET idle_until = ? WHERE holder = ? AND idle_until < ?",
                (idle_until, self.holder, idle_until),
            )
        except Exception:  # the pacer keeps the promise anyway; the next look writes it
            log.warning("Could not record that this process lends its pace", exc_info=True)
