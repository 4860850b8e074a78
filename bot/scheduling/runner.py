"""The runner: the loop that claims due runs, a bounded pool that executes them, and the stop.

What is due lives in the database (bot.scheduling.jobs); the runner claims it a few runs at a
time, runs each handler on a worker of its pool, and records the outcome (grouped commits,
bot.db.group_commit). It sleeps until the next due instant or pending retry, at most
``tick_seconds``, on a clock-following APScheduler timer (bot.scheduling.waking); `wake()`
cuts a sleep short, and the hourly housekeeping is a timer of the same kind. The design (claims,
nonces, crash recovery, the stop) is in the package's docstring (bot/scheduling/__init__.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.db import Store
from bot.db.group_commit import DEFAULT_LINGER, GroupCommit
from bot.scheduling import jobs
from bot.scheduling.model import (
    DueRun,
    JobHandler,
    Outcome,
    Recorder,
    RetryLater,
    RunResult,
    retry_delay,
)
from bot.scheduling.schedules import Schedules
from bot.scheduling.waking import ClockTimers
from bot.settings import Settings

log = logging.getLogger(__name__)

# Runs claimed per transaction at most (the pool's free slots decide below that).
_CLAIM_BATCH = 8
_MIN_CLAIM = 4
_MIN_SLEEP = timedelta(seconds=0.05)
# Wake a little after the due instant, so the claim's "due <= now" holds at the wake-up.
_AFTER_DUE = timedelta(seconds=0.01)


class Scheduler(Schedules):
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
        super().__init__(store, clock)
        self._tick = timedelta(seconds=tick_seconds)
        self.workers = workers
        self.nonce_window = nonce_window
        self.history = timedelta(days=history_days)
        self.drain_seconds = drain_seconds
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
        self._wake = asyncio.Event()
        self._timers = ClockTimers(clock)
        # The loop and thread that run the scheduler, so wake() works from another thread.
        self._owner_loop: asyncio.AbstractEventLoop | None = None
        self._owner_thread: int | None = None
        #: Set while stopping: workers stop claiming, senders stop retrying.
        self.stopping = asyncio.Event()
        #: Told, after each pass that left nothing running, when the next work this process
        #: may claim is due (unix seconds; None: none planned). A fleet process lends its part
        #: of the rate limit while that is far off (bot.fleet.budget).
        self.on_next_work: Callable[[float | None], None] | None = None

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

    # -- lifecycle --------------------------------------------------------------------------------

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
            self._timers.start()
            self.housekeeping.start(self._timers)
            self._loop_task = asyncio.create_task(self._loop(), name="rebound-due-work")

    async def stop(self) -> None:
        """Stop claiming; let in-flight runs finish for a few seconds; cancel the rest."""
        self.stopping.set()
        self._wake.set()
        self._timers.stop()
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
        await self.housekeeping.stop()
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

    def clock_moved(self) -> None:
        """The injected clock jumped (clock control): plan the wake-ups again from it."""
        self._timers.clock_moved()

    async def _loop(self) -> None:
        while not self.stopping.is_set():
            self._wake.clear()
            try:
                await self.run_due()
                at = await self._next_wake()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Looking for due work failed; trying again shortly")
                at = self._clock.now() + self._tick
            if self.stopping.is_set():
                return
            self._timers.at("due", at, self._woken)
            await self._wake.wait()

    async def _woken(self) -> None:
        self._wake.set()

    async def _next_wake(self) -> datetime:
        """The next due instant or pending retry (of the injected clock), at most a tick away."""
        now = self._clock.now()
        nxt = await self.next_due_at()
        if self.on_next_work is not None:
            self.on_next_work(None if nxt is None else nxt.timestamp())
        if nxt is None:
            return now + self._tick
        return min(now + self._tick, max(now + _MIN_SLEEP, nxt + _AFTER_DUE))

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
        rule = await jobs.rule_of(self._store, kind, key)
        async with self._store.transaction() as conn:
            claimed = await self.claim_occurrence(
                conn, kind, key, occurrence, due_at=due_at or now
            ) or await self.reclaim_occurrence(conn, kind, key, occurrence)
            current = await jobs.run_row(conn, kind, key, occurrence)
        assert current is not None
        status, due, attempts = current
        run = DueRun(kind, key, occurrence, due, now, rule, attempt=attempts, manual=True)
        if not claimed:
            return RunResult(run, "already_done" if status == "done" else "in_progress")
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
        finish = jobs.finishing(
            run.kind, run.key, run.occurrence, outcome, detail, record, self._clock.now()
        )
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
        await jobs.defer(self._store, run, at, retry.detail)
        log.info(
            "Scheduled %s run will be tried again in %ds (%s)",
            run.kind,
            int((at - now).total_seconds()),
            retry.detail,
        )
        return RunResult(run, "pending", retry.detail)

    async def _claim(self, now: datetime, limit: int) -> tuple[list[DueRun], list[DueRun]]:
        """Claim up to `limit` runs (pending retries first): one transaction, one round trip."""
        if not self._handlers:
            return [], []
        return await self._store.run(
            jobs.claim, now, limit, dict(self._handlers), self.claim_scope(), self.claimer
        )
