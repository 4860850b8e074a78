"""The due-work runner. The database says what is due; APScheduler only ticks.

Each schedule is a row in `scheduled_jobs` with the UTC instant of its next run and an
*occurrence* label (for a daily post, the local date it is for). Running a due item happens in
two steps:

1. **Claim**, in one transaction: insert `(kind, key, occurrence)` into `job_runs` and move the
   job's `next_run_at` on. The insert can succeed only once per occurrence, so an overlapping tick,
   a restart mid-run, a gateway resume or the repeated hour when clocks fall back cannot run an
   occurrence twice. Occurrences older than the feature's grace window are recorded as `missed`.
2. **Run**, outside the transaction, then record the outcome. A crash between the two leaves the
   run `claimed`; the next start marks it `interrupted` and does not repeat it (at most once: a
   support community is better served by one missing post than by two identical ones).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

import aiosqlite
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.db import Store
from bot.timekeeping import Occurrence, is_within_grace, require_aware

__all__ = ["DueRun", "JobHandler", "Occurrence", "RunResult", "Scheduler", "from_epoch", "to_epoch"]

log = logging.getLogger(__name__)

Outcome = Literal["done", "failed", "skipped"]
# A job that fell very far behind (the bot was off for months) records at most this many
# missed occurrences per tick before jumping ahead.
_MAX_CATCH_UP = 400


@dataclass(frozen=True, slots=True)
class DueRun:
    kind: str
    key: str
    occurrence: str
    due_at: datetime
    started_at: datetime
    rule: Mapping[str, Any]

    @property
    def lateness(self) -> timedelta:
        return self.started_at - self.due_at


@dataclass(frozen=True, slots=True)
class RunResult:
    run: DueRun
    outcome: Outcome | Literal["missed"]
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

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        """Do the work; return the outcome and a short detail (no personal data)."""
        ...


def to_epoch(instant: datetime) -> int:
    return int(require_aware(instant).timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Scheduler:
    def __init__(self, store: Store, clock: Clock, *, tick_seconds: float = 20.0) -> None:
        self._store = store
        self._clock = clock
        self._tick_seconds = tick_seconds
        self._handlers: dict[str, JobHandler] = {}
        self._run_lock = asyncio.Lock()
        self._aps: AsyncIOScheduler | None = None

    # -- registration and lifecycle -------------------------------------------------------------

    def register(self, handler: JobHandler) -> None:
        if handler.kind in self._handlers and self._handlers[handler.kind] is not handler:
            raise ValueError(f"a handler for {handler.kind!r} is already registered")
        self._handlers[handler.kind] = handler

    def unregister(self, kind: str) -> None:
        self._handlers.pop(kind, None)

    async def start(self) -> None:
        """Mark runs a crash interrupted, sweep what came due while down, then tick."""
        interrupted = await self._store.execute(
            "UPDATE job_runs SET status = 'interrupted', finished_at = ? WHERE status = 'claimed'",
            (to_epoch(self._clock.now()),),
        )
        if interrupted:
            log.warning(
                "%d scheduled run(s) were interrupted by a stop; not repeating them", interrupted
            )
        await self.run_due()
        if self._aps is None:
            self._aps = AsyncIOScheduler(timezone=UTC)
            self._aps.add_job(
                self._tick,
                IntervalTrigger(seconds=self._tick_seconds),
                id="rebound-due-work",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
            self._aps.start()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        # Let a run in progress finish recording its outcome.
        async with self._run_lock:
            pass

    async def _tick(self) -> None:
        try:
            await self.run_due()
        except Exception:
            log.exception("A scheduler tick failed; the next tick will try again")

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
        return nxt

    async def remove_job(self, conn: aiosqlite.Connection, kind: str, key: str) -> None:
        await conn.execute("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key))

    async def _move_job(
        self, conn: aiosqlite.Connection, kind: str, key: str, nxt: Occurrence | None
    ) -> None:
        """Point a job at its next occurrence, or drop it when its schedule has ended."""
        if nxt is None:
            await self.remove_job(conn, kind, key)
            return
        await conn.execute(
            "UPDATE scheduled_jobs SET next_run_at = ?, occurrence = ? WHERE kind = ? AND key = ?",
            (to_epoch(nxt.due_at), nxt.label, kind, key),
        )

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
        """Claim one occurrence by hand (e.g. "post today's now"). False if it was already taken."""
        now = to_epoch(self._clock.now())
        cursor = await conn.execute(
            "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, finished_at, "
            "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                kind,
                key,
                occurrence,
                status,
                to_epoch(due_at),
                now,
                None if status == "claimed" else now,
                detail,
            ),
        )
        return cursor.rowcount == 1

    async def reclaim_occurrence(
        self, conn: aiosqlite.Connection, kind: str, key: str, occurrence: str
    ) -> bool:
        """Take back an occurrence that ended without doing its work (missed, failed,
        interrupted or skipped), e.g. for "post today's now" after a missed morning."""
        cursor = await conn.execute(
            "UPDATE job_runs SET status = 'claimed', claimed_at = ?, finished_at = NULL, "
            "detail = NULL WHERE kind = ? AND key = ? AND occurrence = ? "
            "AND status IN ('missed', 'failed', 'interrupted', 'skipped')",
            (to_epoch(self._clock.now()), kind, key, occurrence),
        )
        return cursor.rowcount == 1

    async def finish_claim(
        self, kind: str, key: str, occurrence: str, outcome: Outcome, detail: str | None = None
    ) -> None:
        await self._store.execute(
            "UPDATE job_runs SET status = ?, finished_at = ?, detail = ? "
            "WHERE kind = ? AND key = ? AND occurrence = ?",
            (outcome, to_epoch(self._clock.now()), detail, kind, key, occurrence),
        )

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
        """The earliest next run over every registered kind (the harness steps time with it)."""
        kinds = list(self._handlers)
        if not kinds:
            return None
        marks = ",".join("?" for _ in kinds)
        row = await self._store.fetchone(
            f"SELECT MIN(next_run_at) FROM scheduled_jobs WHERE kind IN ({marks})", kinds
        )
        return from_epoch(row[0]) if row and row[0] is not None else None

    async def run_status(self, kind: str, key: str, occurrence: str) -> str | None:
        row = await self._store.fetchone(
            "SELECT status FROM job_runs WHERE kind = ? AND key = ? AND occurrence = ?",
            (kind, key, occurrence),
        )
        return str(row["status"]) if row else None

    # -- running --------------------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Claim and run everything due at `now` (default: the clock's now). Safe to overlap."""
        async with self._run_lock:
            instant = now or self._clock.now()
            claimed, missed = await self._claim_due(instant)
            results = [RunResult(m, "missed") for m in missed]
            for run in claimed:
                handler = self._handlers[run.kind]
                try:
                    outcome, detail = await handler.run(run)
                except Exception as exc:
                    log.exception("Scheduled %s run failed", run.kind)
                    outcome, detail = "failed", type(exc).__name__
                await self.finish_claim(run.kind, run.key, run.occurrence, outcome, detail)
                results.append(RunResult(run, outcome, detail))
            return results

    async def _claim_due(self, now: datetime) -> tuple[list[DueRun], list[DueRun]]:
        kinds = list(self._handlers)
        if not kinds:
            return [], []
        claimed: list[DueRun] = []
        missed: list[DueRun] = []
        marks = ",".join("?" for _ in kinds)
        now_s = to_epoch(now)
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "SELECT kind, key, rule, next_run_at, occurrence FROM scheduled_jobs "
                f"WHERE next_run_at <= ? AND kind IN ({marks}) ORDER BY next_run_at, kind, key",
                (now_s, *kinds),
            )
            for row in await cursor.fetchall():
                handler = self._handlers[row["kind"]]
                rule = json.loads(row["rule"])
                due = Occurrence(from_epoch(row["next_run_at"]), row["occurrence"])
                grace = handler.grace(rule)
                for _ in range(_MAX_CATCH_UP):
                    run = DueRun(row["kind"], row["key"], due.label, due.due_at, now, rule)
                    on_time = is_within_grace(due, now, grace)
                    taken = await self.claim_occurrence(
                        conn,
                        run.kind,
                        run.key,
                        run.occurrence,
                        due_at=due.due_at,
                        status="claimed" if on_time else "missed",
                        detail=None if on_time else "past the grace window",
                    )
                    if taken:
                        (claimed if on_time else missed).append(run)
                    nxt = handler.next_occurrence(rule, due.due_at)
                    if nxt is None or nxt.due_at > now:
                        await self._move_job(conn, run.kind, run.key, nxt)
                        break
                    due = nxt
                else:  # still behind after many occurrences: jump to the future
                    nxt = handler.next_occurrence(rule, now)
                    await self._move_job(conn, row["kind"], row["key"], nxt)
        for run in missed:
            log.info(
                "Scheduled %s run for %s was missed (past its grace window)",
                run.kind,
                run.occurrence,
            )
        return claimed, missed
