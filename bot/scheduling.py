"""The due-work runner. The database says what is due; a small loop wakes when something is.

Each schedule is a row in `scheduled_jobs` with the UTC instant of its next run and an
*occurrence* label (for a daily post, the local date it is for). Every run of every feature
(server posts, personal DMs, story delays, digests, weekly prompts) goes through here:

1. **Claim as you go.** A bounded pool of workers (``workers``, default 16) takes due runs a few
   at a time, each claim one transaction: insert ``(kind, key, occurrence)`` into `job_runs`
   as ``claimed`` and move the job's ``next_run_at`` on. The insert can succeed only once per
   occurrence, so an overlapping tick, a second process, a gateway resume or the repeated hour
   when clocks fall back cannot run an occurrence twice. Occurrences older than the feature's
   grace window are recorded as ``missed``. A crash touches only what was in flight.
   A handler may also read what its run needs in that transaction (:class:`PreparesInClaim`,
   e.g. a post's schedule and card): one round trip for the batch, not one per run.
2. **Run** outside the transaction, then record the outcome (``done``, ``failed``,
   ``skipped``). A worker is free as soon as its handler returns; outcomes that finish while
   other runs are still sending are committed together (:mod:`bot.db.group_commit`: one commit
   and one fsync for several posts, at most 0.1 s later; a run that was sent but not yet
   recorded when the process dies is re-sent with its nonce, step 3). A handler that raises
   :class:`RetryLater` (a passing Discord error, a server that is unavailable right now) leaves
   the run ``pending`` until ``retry_at``; it is tried again, with the same nonce, until its
   grace window ends, and only then recorded ``failed``.
3. **Idempotent sends.** Each run has a nonce derived from ``(kind, key, occurrence)``
   (:func:`make_nonce`, 24 characters; Discord allows 25). Discord returns the first message
   instead of posting again when the same bot sends the same nonce to the same channel within
   a few minutes. So on start, a run a crash left ``claimed`` is sent again (``pending``, due
   now) if it was claimed within ``nonce_window``, and recorded ``interrupted`` only past it:
   after ``kill -9`` nothing is doubled and nothing is lost. A handler marked ``resumable``
   (its create looks for what an earlier attempt made: :mod:`bot.creating`) is run again at
   any age.
4. **Graceful stop.** :meth:`Scheduler.stop` stops claiming, gives what is in flight a few
   seconds (``drain_seconds``) to finish and record, and cancels the rest (left ``claimed``:
   the next start re-sends them with their nonce). What was never claimed is still due and is
   served by the next start inside its grace window.
5. **Wake on time.** The loop sleeps until the next due instant (or pending retry), at most
   ``tick_seconds`` (a safety tick), and :meth:`Scheduler.wake` cuts a sleep short.
6. **Housekeeping.** Finished run history older than ``history_days`` is pruned hourly, and
   features may register their own pruning (:meth:`Scheduler.add_housekeeping`).

Features register a :class:`JobHandler` per kind and send through :mod:`bot.sending` with
``run.nonce``; ``/… now`` style commands call :meth:`Scheduler.run_now` so a manual run takes
the same claim/run/record path and the same nonce as the scheduled one.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

import aiosqlite

from bot.clock import Clock
from bot.db import Store
from bot.db.group_commit import DEFAULT_LINGER, GroupCommit
from bot.settings import Settings
from bot.timekeeping import Occurrence, is_within_grace, require_aware

if TYPE_CHECKING:
    from bot.events import Events

log = logging.getLogger(__name__)

Outcome = Literal["done", "failed", "skipped"]
#: Writes a handler wants in the same transaction that records the run's outcome (e.g. the
#: post's message id): one round trip and one commit instead of two. Runs on SQLite's thread.
Recorder = Callable[[sqlite3.Connection], None]
#: What a handler's run returns: the outcome, a short detail, and optionally a Recorder.
RunOutcome = tuple[Outcome, str | None] | tuple[Outcome, str | None, Recorder]
#: What a run came to: a handler's outcome, or the scheduler's own verdicts.
ResultKind = Literal[
    "done", "failed", "skipped", "missed", "pending", "already_done", "in_progress"
]
#: What `run_state` tells a status command: posted, being sent (or will be retried), not done.
RunState = Literal["done", "in_progress", "not_done"]

# A job that fell very far behind (the bot was off for months) records at most this many
# missed occurrences per claim before jumping ahead.
_MAX_CATCH_UP = 400
# Runs claimed per transaction at most (the pool's free slots decide below that).
_CLAIM_BATCH = 8
_MIN_CLAIM = 4
# Backoff for a run that asked to be retried without saying when: 30 s, 1, 2, 4 ... 10 min.
_RETRY_BASE = timedelta(seconds=30)
_RETRY_MAX = timedelta(minutes=10)
_HOUSEKEEPING_EVERY = timedelta(hours=1)
_MIN_SLEEP = 0.05
NONCE_LENGTH = 24


_CLAIM_SQL = (
    "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, finished_at, "
    "detail, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


def _claim_row(
    kind: str,
    key: str,
    occurrence: str,
    status: str,
    due_at: datetime,
    now: int,
    detail: str | None,
) -> tuple[Any, ...]:
    """The job_runs row of a claim (or of a run recorded as already finished)."""
    claimed = status == "claimed"
    return (
        kind,
        key,
        occurrence,
        status,
        to_epoch(due_at),
        now,
        None if claimed else now,
        detail,
        1 if claimed else 0,
    )


def due_jobs_sql(kinds: int) -> str:
    """The claim's read: the first due jobs of `kinds` registered kinds, in order.

    `(kind || '')` keeps SQLite walking the (next_run_at, kind, key) index in order and stopping
    at LIMIT, instead of taking the primary key for `kind IN` and sorting every due job of that
    kind for each claim (10,000 on a big morning: ~1.5 ms a claim on SQLite's thread)."""
    marks = ",".join("?" for _ in range(kinds))
    return (
        "SELECT kind, key, rule, next_run_at, occurrence FROM scheduled_jobs "
        f"WHERE next_run_at <= ? AND (kind || '') IN ({marks}) "
        "ORDER BY next_run_at, kind, key LIMIT ?"
    )


def make_nonce(kind: str, key: str, occurrence: str, part: str = "") -> str:
    """The nonce of one run (and, with `part`, of one of several messages it sends).

    Deterministic, so every retry, a re-send after a crash and a manual `now` for the same
    occurrence carry the same one; 24 base32 characters (Discord allows at most 25)."""
    digest = hashlib.blake2b(
        "\x1f".join((kind, key, occurrence, part)).encode("utf-8"), digest_size=15
    ).digest()
    return base64.b32encode(digest).decode("ascii").lower()


class RetryLater(Exception):
    """Raised by a handler (or the sender) when the work may well succeed later.

    The run becomes ``pending`` and is tried again after `after` (default: a backoff that
    doubles with each attempt), with the same nonce, until its grace window ends."""

    def __init__(self, detail: str, *, after: timedelta | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.after = after


@dataclass(frozen=True, slots=True)
class DueRun:
    kind: str
    key: str
    occurrence: str
    due_at: datetime
    started_at: datetime
    rule: Mapping[str, Any]
    attempt: int = 1
    #: run by hand (Scheduler.run_now), not by the schedule
    manual: bool = False
    #: what the handler's ``prepare_in`` read in the claim's transaction (None: not prepared,
    #: or it failed; the handler then reads for itself)
    prepared: Any = field(default=None, compare=False, repr=False)

    @property
    def lateness(self) -> timedelta:
        return self.started_at - self.due_at

    @property
    def nonce(self) -> str:
        """The nonce for the run's message (pass it to the sender)."""
        return make_nonce(self.kind, self.key, self.occurrence)

    def nonce_for(self, part: str) -> str:
        """A nonce for another message the same run sends (a notice, a second post)."""
        return make_nonce(self.kind, self.key, self.occurrence, part)


@dataclass(frozen=True, slots=True)
class RunResult:
    run: DueRun
    outcome: ResultKind
    detail: str | None = None


class JobHandler(Protocol):
    """What a feature registers for one kind of scheduled work."""

    kind: str

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        """The first occurrence strictly after `after`, or None when the schedule has ended."""
        ...

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        """How late an occurrence may still run; older ones are recorded as missed."""
        ...

    async def run(self, run: DueRun) -> RunOutcome:
        """Do the work; return the outcome and a short detail (no personal data), and
        optionally a Recorder for what must be stored with the outcome.

        Raise RetryLater for a passing problem; send with `run.nonce` so a retry cannot
        double a message."""
        ...


class PreparesInClaim(Protocol):
    """A JobHandler may also read what its run needs inside the claim's transaction, on
    SQLite's thread (e.g. a post's schedule and today's card): one round trip for a batch of
    claimed runs instead of one read each. The result arrives as ``run.prepared``. It must only
    read through `conn` and use pure Python; if it raises, the run gets ``prepared=None``."""

    def prepare_in(self, conn: sqlite3.Connection, run: DueRun) -> Any: ...


def is_resumable(handler: JobHandler) -> bool:
    """A handler with ``resumable = True`` makes its side effect idempotent without a nonce
    (it looks for what an earlier attempt made before making it: bot.creating), so a run a
    crash left claimed is run again at any age, not only inside the nonce window."""
    return bool(getattr(handler, "resumable", False))


Housekeeper = Callable[[aiosqlite.Connection, datetime], Awaitable[int]]


def to_epoch(instant: datetime) -> int:
    return int(require_aware(instant).timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def retry_delay(attempt: int) -> timedelta:
    """30 s after the first attempt, doubling, at most 10 minutes."""
    return min(_RETRY_BASE * (2 ** max(0, attempt - 1)), _RETRY_MAX)


class Scheduler:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        tick_seconds: float = 20.0,
        workers: int = 16,
        nonce_window: timedelta = timedelta(minutes=2),
        history_days: int = 30,
        drain_seconds: float = 3.0,
        record_linger: float = DEFAULT_LINGER,
    ) -> None:
        if workers < 1:
            raise ValueError("the scheduler needs at least one worker")
        self._store = store
        self._clock = clock
        self._tick_seconds = tick_seconds
        self.workers = workers
        self.nonce_window = nonce_window
        self.history = timedelta(days=history_days)
        self.drain_seconds = drain_seconds
        self._handlers: dict[str, JobHandler] = {}
        self._housekeepers: list[Housekeeper] = []
        self._run_lock = asyncio.Lock()
        self._inflight: set[asyncio.Task[RunResult | None]] = set()
        #: Runs whose handler is still working (a worker each); a run waiting only for its
        #: record to commit no longer holds a worker.
        self._sending = 0
        self._worker_freed = asyncio.Event()
        #: Outcomes are committed in groups while other runs are still sending (one commit,
        #: one fsync for several posts); the last one, or a manual run, commits at once.
        self._records = GroupCommit(store, linger=record_linger)
        self._loop_task: asyncio.Task[None] | None = None
        self._last_housekeeping: datetime | None = None
        self._wake = asyncio.Event()
        # The loop and thread that run the scheduler, so wake() works from another thread.
        self._owner_loop: asyncio.AbstractEventLoop | None = None
        self._owner_thread: int | None = None
        #: Set while stopping: workers stop claiming, senders stop retrying.
        self.stopping = asyncio.Event()
        self._events: Events | None = None

    @property
    def events(self) -> Events:
        """Durable events delivered as jobs of this engine (bot/events.py)."""
        if self._events is None:
            # Imported here: bot.events builds on this module.
            from bot.events import Events

            self._events = Events(self, self._store)
        return self._events

    def clock_now(self) -> datetime:
        return self._clock.now()

    @classmethod
    def from_settings(cls, store: Store, clock: Clock, settings: Settings) -> Scheduler:
        return cls(
            store,
            clock,
            tick_seconds=settings.tick_seconds,
            workers=settings.send_workers,
            nonce_window=timedelta(seconds=settings.nonce_window_seconds),
            history_days=settings.run_history_days,
        )

    # -- registration and lifecycle -------------------------------------------------------------

    def register(self, handler: JobHandler) -> None:
        if handler.kind in self._handlers and self._handlers[handler.kind] is not handler:
            raise ValueError(f"a handler for {handler.kind!r} is already registered")
        self._handlers[handler.kind] = handler

    def unregister(self, kind: str) -> None:
        self._handlers.pop(kind, None)

    def add_housekeeping(self, prune: Housekeeper) -> None:
        """`prune(conn, cutoff)` deletes a feature's history older than `cutoff`; hourly."""
        if prune not in self._housekeepers:
            self._housekeepers.append(prune)

    def remove_housekeeping(self, prune: Housekeeper) -> None:
        if prune in self._housekeepers:
            self._housekeepers.remove(prune)

    @property
    def running(self) -> bool:
        return self._loop_task is not None and not self._loop_task.done()

    async def start(self) -> None:
        """Re-send what a crash left in flight (or record it interrupted), then run the loop."""
        self._owner_loop, self._owner_thread = asyncio.get_running_loop(), threading.get_ident()
        self.stopping.clear()
        await self.recover()
        await self.run_due()  # the start-up sweep: what came due while the bot was away
        if self.stopping.is_set():
            return
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.create_task(self._loop(), name="rebound-due-work")

    async def recover(self) -> tuple[int, int]:
        """Runs left `claimed` by a crash: (sent again, recorded interrupted)."""
        now = self._clock.now()
        cutoff = to_epoch(now - self.nonce_window)
        # Kinds whose handler looks before it creates (bot.creating) are safe to run again at
        # any age; the others rely on Discord's nonce, which only holds inside its window.
        resumable = sorted(k for k, h in self._handlers.items() if is_resumable(h))
        marks = ",".join("?" for _ in resumable) or "NULL"
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE job_runs SET status = 'pending', retry_at = ? "
                f"WHERE status = 'claimed' AND (claimed_at >= ? OR kind IN ({marks}))",
                (to_epoch(now), cutoff, *resumable),
            )
            resent = cursor.rowcount
            cursor = await conn.execute(
                "UPDATE job_runs SET status = 'interrupted', finished_at = ?, "
                "detail = 'stopped past the nonce window' WHERE status = 'claimed'",
                (to_epoch(now),),
            )
            lost = cursor.rowcount
        if resent:
            log.info("%d scheduled run(s) were in flight at the last stop; sending again", resent)
        if lost:
            log.warning("%d scheduled run(s) were interrupted too long ago to re-send safely", lost)
        return resent, lost

    async def stop(self) -> None:
        """Stop claiming; let in-flight runs finish for a few seconds; cancel the rest."""
        self.stopping.set()
        self._wake.set()
        self._records.hurry()
        inflight = set(self._inflight)
        if inflight:
            _, late = await asyncio.wait(inflight, timeout=self.drain_seconds)
            for task in late:
                task.cancel()
            if late:
                await asyncio.gather(*late, return_exceptions=True)
                log.info(
                    "%d scheduled run(s) did not finish before the stop; the next start "
                    "re-sends them",
                    len(late),
                )
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        await self._records.drain()

    def wake(self) -> None:
        """Look for due work now instead of at the next planned instant. Safe to call from
        SQLite's thread (a `Store.run` body that puts a job)."""
        loop = self._owner_loop
        if loop is not None and threading.get_ident() != self._owner_thread:
            loop.call_soon_threadsafe(self._wake.set)
        else:
            self._wake.set()

    async def _loop(self) -> None:
        while not self.stopping.is_set():
            self._wake.clear()
            try:
                await self.run_due()
                await self._housekeeping()
                delay = await self._seconds_until_next()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Looking for due work failed; trying again shortly")
                delay = self._tick_seconds
            if self.stopping.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def _seconds_until_next(self) -> float:
        nxt = await self.next_due_at()
        if nxt is None:
            return self._tick_seconds
        seconds = (nxt - self._clock.now()).total_seconds()
        return min(self._tick_seconds, max(_MIN_SLEEP, seconds + 0.01))

    # -- writing schedules ----------------------------------------------------------------------

    async def put_job(
        self,
        conn: aiosqlite.Connection,
        kind: str,
        key: str,
        rule: Mapping[str, Any],
        *,
        after: datetime | None = None,
    ) -> Occurrence | None:
        """Create or replace a schedule inside the caller's transaction; returns its next run."""
        handler = self._handlers[kind]
        nxt = handler.next_occurrence(rule, after or self._clock.now())
        if nxt is None:
            await self.remove_job(conn, kind, key)
            return None
        await conn.execute(
            "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET "
            "rule = excluded.rule, next_run_at = excluded.next_run_at, "
            "occurrence = excluded.occurrence",
            (kind, key, json.dumps(rule, sort_keys=True), to_epoch(nxt.due_at), nxt.label),
        )
        self.wake()  # the loop may be asleep until a later instant
        return nxt

    async def remove_job(self, conn: aiosqlite.Connection, kind: str, key: str) -> None:
        await conn.execute("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key))

    async def claim_occurrence(
        self,
        conn: aiosqlite.Connection,
        kind: str,
        key: str,
        occurrence: str,
        *,
        due_at: datetime,
        status: Literal["claimed", "done", "skipped", "missed"] = "claimed",
        detail: str | None = None,
    ) -> bool:
        """Claim one occurrence by hand. False if it was already taken."""
        now = to_epoch(self._clock.now())
        cursor = await conn.execute(
            _CLAIM_SQL, _claim_row(kind, key, occurrence, status, due_at, now, detail)
        )
        return cursor.rowcount == 1

    async def reclaim_occurrence(
        self, conn: aiosqlite.Connection, kind: str, key: str, occurrence: str
    ) -> bool:
        """Take back an occurrence that ended without doing its work (missed, failed,
        interrupted, skipped) or waits for a retry, e.g. for "post today's now"."""
        cursor = await conn.execute(
            "UPDATE job_runs SET status = 'claimed', claimed_at = ?, finished_at = NULL, "
            "detail = NULL, retry_at = NULL, attempts = attempts + 1 "
            "WHERE kind = ? AND key = ? AND occurrence = ? "
            "AND status IN ('missed', 'failed', 'interrupted', 'skipped', 'pending')",
            (to_epoch(self._clock.now()), kind, key, occurrence),
        )
        return cursor.rowcount == 1

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
        await self._store.call(self._finishing(kind, key, occurrence, outcome, detail, record))

    def _finishing(
        self,
        kind: str,
        key: str,
        occurrence: str,
        outcome: Outcome,
        detail: str | None,
        record: Recorder | None,
    ) -> Recorder:
        """The writes that record a run's outcome (stamped now), for one transaction."""
        params = (outcome, to_epoch(self._clock.now()), detail, kind, key, occurrence)

        def finish(conn: sqlite3.Connection) -> None:
            if record is not None:
                record(conn)
            conn.execute(
                "UPDATE job_runs SET status = ?, finished_at = ?, detail = ?, retry_at = NULL "
                "WHERE kind = ? AND key = ? AND occurrence = ?",
                params,
            )

        return finish

    async def retry_now(self, kind: str, key: str) -> int:
        """Bring a key's pending retries forward to now (e.g. its server came back)."""
        changed = await self._store.execute(
            "UPDATE job_runs SET retry_at = ? WHERE kind = ? AND key = ? AND status = 'pending' "
            "AND retry_at > ?",
            (to_epoch(self._clock.now()), kind, key, to_epoch(self._clock.now())),
        )
        if changed:
            self.wake()
        return changed

    async def retry_waiting(self, detail: str) -> int:
        """Bring forward every pending retry waiting for `detail` (e.g. a server came back)."""
        now = to_epoch(self._clock.now())
        changed = await self._store.execute(
            "UPDATE job_runs SET retry_at = ? WHERE status = 'pending' AND detail = ? "
            "AND retry_at > ?",
            (now, detail, now),
        )
        if changed:
            self.wake()
        return changed

    # -- reading --------------------------------------------------------------------------------

    async def next_run(self, kind: str, key: str) -> Occurrence | None:
        row = await self._store.fetchone(
            "SELECT next_run_at, occurrence FROM scheduled_jobs WHERE kind = ? AND key = ?",
            (kind, key),
        )
        if row is None:
            return None
        return Occurrence(from_epoch(row["next_run_at"]), row["occurrence"])

    async def next_due_at(self) -> datetime | None:
        """The earliest next run or pending retry over every registered kind."""
        kinds = list(self._handlers)
        if not kinds:
            return None
        marks = ",".join("?" for _ in kinds)
        row = await self._store.fetchone(
            f"SELECT MIN(next_run_at) FROM scheduled_jobs WHERE (kind || '') IN ({marks})", kinds
        )
        retry = await self._store.fetchone(
            f"SELECT MIN(retry_at) FROM job_runs WHERE status = 'pending' AND kind IN ({marks})",
            kinds,
        )
        found = [r[0] for r in (row, retry) if r is not None and r[0] is not None]
        return from_epoch(min(found)) if found else None

    async def run_status(self, kind: str, key: str, occurrence: str) -> str | None:
        row = await self._store.fetchone(
            "SELECT status FROM job_runs WHERE kind = ? AND key = ? AND occurrence = ?",
            (kind, key, occurrence),
        )
        return str(row["status"]) if row else None

    async def run_state(self, kind: str, key: str, occurrence: str) -> RunState:
        """ "done", "in_progress" (being sent, or waiting for a retry) or "not_done"."""
        status = await self.run_status(kind, key, occurrence)
        if status == "done":
            return "done"
        if status in ("claimed", "pending"):
            return "in_progress"
        return "not_done"

    # -- running --------------------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Claim and run everything due at `now` (default: the clock's now, read at each
        claim), at most `workers` at once. Returns when all of it has finished."""
        async with self._run_lock:
            results: list[RunResult] = []
            running: set[asyncio.Task[RunResult | None]] = set()

            def collect(done: set[asyncio.Task[RunResult | None]]) -> None:
                for task in done:
                    running.discard(task)
                    if not task.cancelled() and task.exception() is None:
                        result = task.result()
                        if result is not None:
                            results.append(result)

            try:
                while not self.stopping.is_set():
                    collect({task for task in running if task.done()})
                    free = self.workers - self._sending
                    # Claim a few at a time (one transaction each), not one per finished run.
                    if free <= 0 or (self._sending and free < min(_MIN_CLAIM, self.workers)):
                        self._worker_freed.clear()
                        await self._worker_freed.wait()
                        continue
                    instant = now or self._clock.now()
                    claimed, missed = await self._claim(instant, min(free, _CLAIM_BATCH))
                    results.extend(RunResult(m, "missed") for m in missed)
                    if not claimed:
                        break
                    for run in claimed:
                        task = self._start(run)
                        running.add(task)
                if running:
                    done, _ = await asyncio.wait(running)
                    collect(done)
            finally:
                # Only a cancelled run_due gets here with work left; the stop cancels it too.
                for task in running:
                    task.cancel()
            return results

    async def run_now(
        self, kind: str, key: str, occurrence: str, *, due_at: datetime | None = None
    ) -> RunResult:
        """Run one occurrence right away through the same claim/run/record path (and nonce)
        as the scheduled run: e.g. "post today's now". An occurrence already done, or in
        flight right now, is not run again (outcome "already_done" / "in_progress")."""
        if kind not in self._handlers:
            raise KeyError(f"no handler is registered for {kind!r}")
        now = self._clock.now()
        row = await self._store.fetchone(
            "SELECT rule FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key)
        )
        rule: Mapping[str, Any] = json.loads(row["rule"]) if row else {}
        due = due_at or now
        async with self._store.transaction() as conn:
            claimed = await self.claim_occurrence(
                conn, kind, key, occurrence, due_at=due
            ) or await self.reclaim_occurrence(conn, kind, key, occurrence)
            cursor = await conn.execute(
                "SELECT status, due_at, attempts FROM job_runs "
                "WHERE kind = ? AND key = ? AND occurrence = ?",
                (kind, key, occurrence),
            )
            current = await cursor.fetchone()
        assert current is not None
        run = DueRun(
            kind,
            key,
            occurrence,
            from_epoch(current["due_at"]),
            now,
            rule,
            attempt=int(current["attempts"]),
            manual=True,
        )
        if not claimed:
            return RunResult(run, "already_done" if current["status"] == "done" else "in_progress")
        result = await self._execute(run)
        assert result is not None
        return result

    def _start(self, run: DueRun) -> asyncio.Task[RunResult | None]:
        """Run a claimed run on a worker of the pool; the worker is free again as soon as the
        run's handler returns (its record may still be waiting for its group commit)."""
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._sending -= 1
                self._worker_freed.set()

        self._sending += 1
        task = asyncio.create_task(self._execute(run, release))
        task.add_done_callback(lambda _: release())  # also if it never got to start
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return task

    async def _execute(
        self, run: DueRun, handler_done: Callable[[], None] | None = None
    ) -> RunResult | None:
        """Run one claimed run and record what came of it."""
        handler = self._handlers.get(run.kind)
        if handler is None:  # unregistered while claimed: leave it for the next start
            return None
        outcome: Outcome
        detail: str | None
        record: Recorder | None = None
        try:
            try:
                result = await handler.run(run)
            finally:
                if handler_done is not None:
                    handler_done()
                # Results outlive the run (a morning's list): not what it prepared (a deck).
                run = replace(run, prepared=None) if run.prepared is not None else run
        except RetryLater as retry:
            return await self._defer(run, handler, retry)
        except Exception as exc:
            log.exception("Scheduled %s run failed", run.kind)
            outcome, detail = "failed", type(exc).__name__
        else:
            outcome, detail = result[0], result[1]
            if len(result) == 3:
                record = result[2]
        finish = self._finishing(run.kind, run.key, run.occurrence, outcome, detail, record)
        # Wait for other runs' records only while others are still sending.
        soon = run.manual or self._sending == 0 or self.stopping.is_set()
        await self._records.write(finish, soon=soon)
        return RunResult(run, outcome, detail)

    async def _defer(self, run: DueRun, handler: JobHandler, retry: RetryLater) -> RunResult:
        now = self._clock.now()
        at = now + (retry.after if retry.after is not None else retry_delay(run.attempt))
        if at - run.due_at > handler.grace(run.rule):
            log.info(
                "Scheduled %s run gave up at the end of its grace window (%s)",
                run.kind,
                retry.detail,
            )
            await self.finish_claim(run.kind, run.key, run.occurrence, "failed", retry.detail)
            return RunResult(run, "failed", retry.detail)
        await self._store.execute(
            "UPDATE job_runs SET status = 'pending', retry_at = ?, detail = ? "
            "WHERE kind = ? AND key = ? AND occurrence = ?",
            (to_epoch(at), retry.detail, run.kind, run.key, run.occurrence),
        )
        log.info(
            "Scheduled %s run will be tried again in %ds (%s)",
            run.kind,
            int((at - now).total_seconds()),
            retry.detail,
        )
        return RunResult(run, "pending", retry.detail)

    async def _claim(self, now: datetime, limit: int) -> tuple[list[DueRun], list[DueRun]]:
        """Claim up to `limit` runs (pending retries first), in one transaction and one round
        trip to SQLite's thread."""
        if not self._handlers:
            return [], []
        claimed, missed = await self._store.call(self._claim_in, now, limit, dict(self._handlers))
        for run in missed:
            log.info(
                "Scheduled %s run for %s was missed (past its grace window)",
                run.kind,
                run.occurrence,
            )
        return claimed, missed

    def _claim_in(
        self,
        conn: sqlite3.Connection,
        now: datetime,
        limit: int,
        handlers: Mapping[str, JobHandler],
    ) -> tuple[list[DueRun], list[DueRun]]:
        """The claim itself, on SQLite's thread (handlers' rules are pure Python)."""
        claimed: list[DueRun] = []
        missed: list[DueRun] = []
        kinds = list(handlers)
        marks = ",".join("?" for _ in kinds)
        now_s = to_epoch(now)
        pending = conn.execute(
            "SELECT r.kind, r.key, r.occurrence, r.due_at, r.attempts, j.rule "
            "FROM job_runs r LEFT JOIN scheduled_jobs j ON j.kind = r.kind AND j.key = r.key "
            f"WHERE r.status = 'pending' AND r.retry_at <= ? AND r.kind IN ({marks}) "
            "ORDER BY r.retry_at LIMIT ?",
            (now_s, *kinds, limit),
        ).fetchall()
        for row in pending:
            rule = json.loads(row["rule"]) if row["rule"] else {}
            due_at = from_epoch(row["due_at"])
            run = DueRun(
                row["kind"],
                row["key"],
                row["occurrence"],
                due_at,
                now,
                rule,
                attempt=int(row["attempts"]) + 1,
            )
            if now - due_at > handlers[run.kind].grace(rule):
                conn.execute(
                    "UPDATE job_runs SET status = 'failed', finished_at = ?, retry_at = NULL "
                    "WHERE kind = ? AND key = ? AND occurrence = ?",
                    (now_s, run.kind, run.key, run.occurrence),
                )
                continue
            conn.execute(
                "UPDATE job_runs SET status = 'claimed', claimed_at = ?, retry_at = NULL, "
                "attempts = attempts + 1 WHERE kind = ? AND key = ? AND occurrence = ?",
                (now_s, run.kind, run.key, run.occurrence),
            )
            claimed.append(run)
        room = limit - len(claimed)
        if room > 0:
            due = conn.execute(
                due_jobs_sql(len(kinds)),
                (now_s, *kinds, room),
            ).fetchall()
            for row in due:
                self._claim_job(conn, handlers[row["kind"]], row, now, claimed, missed)
        return [self._prepare_in(conn, handlers[run.kind], run) for run in claimed], missed

    @staticmethod
    def _prepare_in(conn: sqlite3.Connection, handler: JobHandler, run: DueRun) -> DueRun:
        prepare = getattr(handler, "prepare_in", None)
        if prepare is None:
            return run
        conn.execute("SAVEPOINT prepare_run")  # whatever it did, the claim stands
        try:
            return replace(run, prepared=prepare(conn, run))
        except Exception:
            conn.execute("ROLLBACK TO prepare_run")
            log.exception("Preparing a scheduled %s run failed; it reads for itself", run.kind)
            return run
        finally:
            conn.execute("RELEASE prepare_run")

    @staticmethod
    def _claim_job(
        conn: sqlite3.Connection,
        handler: JobHandler,
        row: sqlite3.Row,
        now: datetime,
        claimed: list[DueRun],
        missed: list[DueRun],
    ) -> None:
        rule = json.loads(row["rule"])
        due = Occurrence(from_epoch(row["next_run_at"]), row["occurrence"])
        grace = handler.grace(rule)
        now_s = to_epoch(now)
        nxt: Occurrence | None
        for _ in range(_MAX_CATCH_UP):
            run = DueRun(row["kind"], row["key"], due.label, due.due_at, now, rule)
            on_time = is_within_grace(due, now, grace)
            taken = conn.execute(
                _CLAIM_SQL,
                _claim_row(
                    run.kind,
                    run.key,
                    run.occurrence,
                    "claimed" if on_time else "missed",
                    due.due_at,
                    now_s,
                    None if on_time else "past the grace window",
                ),
            ).rowcount
            if taken == 1:
                (claimed if on_time else missed).append(run)
            nxt = handler.next_occurrence(rule, due.due_at)
            if nxt is None or nxt.due_at > now:
                break
            due = nxt
        else:  # still behind after many occurrences: jump to the future
            nxt = handler.next_occurrence(rule, now)
        if nxt is None:
            conn.execute(
                "DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", (row["kind"], row["key"])
            )
        else:
            conn.execute(
                "UPDATE scheduled_jobs SET next_run_at = ?, occurrence = ? "
                "WHERE kind = ? AND key = ?",
                (to_epoch(nxt.due_at), nxt.label, row["kind"], row["key"]),
            )

    # -- housekeeping ---------------------------------------------------------------------------

    async def _housekeeping(self) -> None:
        now = self._clock.now()
        if self._last_housekeeping is not None and now - self._last_housekeeping < (
            _HOUSEKEEPING_EVERY
        ):
            return
        self._last_housekeeping = now
        await self.prune(now)

    async def prune(self, now: datetime | None = None) -> int:
        """Delete finished run history (and features' registered history) past retention."""
        cutoff = (now or self._clock.now()) - self.history
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM job_runs WHERE finished_at IS NOT NULL AND finished_at < ? "
                "AND status NOT IN ('claimed', 'pending')",
                (to_epoch(cutoff),),
            )
            removed = cursor.rowcount
            for prune in self._housekeepers:
                removed += await prune(conn, cutoff)
        if removed:
            log.info("Pruned %d row(s) of history older than %s", removed, cutoff.date())
        return removed
