"""The jobs repository: the only SQL on the scheduler's tables, `scheduled_jobs` and `job_runs`.

`scheduled_jobs` holds one row per schedule (kind, key) with the UTC instant of its next run and
its occurrence label; `job_runs` one row per occurrence that was claimed, with what came of it.
The runner (bot.scheduling.runner) claims and records through here, and features ask here (or
through the Scheduler) about their jobs: never with SQL of their own.

Functions taking a ``Connection`` (bot.db) run inside the caller's transaction (the claim is a
``Store.run`` body: one round trip on SQLite); those taking the Store are one statement each.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from bot.db import Connection, Store, lock_rows, must_retry
from bot.privacy import Row, delete_rows, fetch_rows
from bot.scheduling.model import DueRun, JobHandler, Outcome, Recorder, from_epoch, to_epoch
from bot.scheduling.scope import ClaimScope, guild_of, scope_passes
from bot.timekeeping import Occurrence, is_within_grace

log = logging.getLogger(__name__)

#: The scheduler's tables, as a member's export names them.
SCHEDULES = "scheduled_jobs"
RUNS = "job_runs"
JOB_TABLES = (SCHEDULES, RUNS)

# A job that fell very far behind (the bot was off for months) records at most this many
# missed occurrences per claim before jumping ahead.
_MAX_CATCH_UP = 400

_CLAIM_SQL = (
    "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, finished_at, "
    "detail, attempts, claimed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
_FINISH_SQL = (
    "UPDATE job_runs SET status = ?, finished_at = ?, detail = ?, retry_at = NULL "
    "WHERE kind = ? AND key = ? AND occurrence = ?"
)


def _claim_row(
    kind: str,
    key: str,
    occurrence: str,
    status: str,
    due_at: datetime,
    now: int,
    detail: str | None,
    claimer: str | None = None,
) -> tuple[Any, ...]:
    """The job_runs row of a claim (or of a run recorded as already finished); `claimer` is
    the fleet process that claimed it (bot/fleet), so its runs are recovered if it dies."""
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
        claimer if claimed else None,
    )


def due_jobs_sql(kinds: int, where: str = "") -> str:
    """The claim's read: the first due jobs of `kinds` registered kinds, in order.

    `(kind || '')` keeps SQLite walking the (next_run_at, kind, key) index in order and stopping
    at LIMIT, instead of taking the primary key for `kind IN` and sorting every due job of that
    kind for each claim (10,000 on a big morning: ~1.5 ms a claim on SQLite's thread)."""
    marks = ",".join("?" for _ in range(kinds))
    return (
        "SELECT kind, key, rule, next_run_at, occurrence, guild_id FROM scheduled_jobs "
        f"WHERE next_run_at <= ? AND (kind || '') IN ({marks}) {where}"
        "ORDER BY next_run_at, kind, key LIMIT ?"
    )


# -- schedules, in the caller's transaction ------------------------------------------------------


async def put_job(
    conn: Connection,
    kind: str,
    key: str,
    rule: Mapping[str, Any],
    nxt: Occurrence,
    guild_id: int | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence, guild_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET "
        "rule = excluded.rule, next_run_at = excluded.next_run_at, "
        "occurrence = excluded.occurrence, guild_id = excluded.guild_id",
        (kind, key, json.dumps(rule, sort_keys=True), to_epoch(nxt.due_at), nxt.label, guild_id),
    )


async def remove_job(conn: Connection, kind: str, key: str) -> None:
    await conn.execute("DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key))


async def job_keys(conn: Connection, kind: str) -> list[str]:
    """The keys of every schedule of `kind`."""
    cursor = await conn.execute("SELECT key FROM scheduled_jobs WHERE kind = ?", (kind,))
    return [str(row[0]) for row in await cursor.fetchall()]


async def forget(conn: Connection, kind: str, key: str, *, runs: bool = True) -> dict[str, int]:
    """Remove a (kind, key)'s schedule and, with `runs`, its run history: rows per table."""
    removed = {SCHEDULES: await delete_rows(conn, _DELETE_JOB, (kind, key))}
    if runs:
        removed[RUNS] = await forget_runs(conn, kind, key)
    return removed


_DELETE_JOB = "DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?"


async def forget_runs(conn: Connection, kind: str, key: str) -> int:
    """Every run recorded for (kind, key)."""
    return await delete_rows(conn, "DELETE FROM job_runs WHERE kind = ? AND key = ?", (kind, key))


async def export(conn: Connection, kind: str, key: str) -> dict[str, list[Row]]:
    """A (kind, key)'s schedule and run history, as a member's export shows them."""
    return {
        SCHEDULES: await fetch_rows(
            conn,
            "SELECT kind, key, rule, next_run_at, occurrence FROM scheduled_jobs "
            "WHERE kind = ? AND key = ?",
            (kind, key),
            json_fields=("rule",),
        ),
        RUNS: await fetch_rows(
            conn,
            "SELECT * FROM job_runs WHERE kind = ? AND key = ? ORDER BY due_at",
            (kind, key),
        ),
    }


# -- runs, in the caller's transaction -----------------------------------------------------------


async def claim_occurrence(
    conn: Connection,
    kind: str,
    key: str,
    occurrence: str,
    *,
    due_at: datetime,
    now: datetime,
    status: Literal["claimed", "done", "skipped", "missed"] = "claimed",
    detail: str | None = None,
    claimer: str | None = None,
) -> bool:
    cursor = await conn.execute(
        _CLAIM_SQL,
        _claim_row(kind, key, occurrence, status, due_at, to_epoch(now), detail, claimer),
    )
    return cursor.rowcount == 1


async def reclaim_occurrence(
    conn: Connection,
    kind: str,
    key: str,
    occurrence: str,
    *,
    now: datetime,
    claimer: str | None = None,
) -> bool:
    cursor = await conn.execute(
        "UPDATE job_runs SET status = 'claimed', claimed_at = ?, finished_at = NULL, "
        "detail = NULL, retry_at = NULL, attempts = attempts + 1, claimed_by = ? "
        "WHERE kind = ? AND key = ? AND occurrence = ? "
        "AND status IN ('missed', 'failed', 'interrupted', 'skipped', 'pending')",
        (to_epoch(now), claimer, kind, key, occurrence),
    )
    return cursor.rowcount == 1


async def run_row(
    conn: Connection, kind: str, key: str, occurrence: str
) -> tuple[str, datetime, int] | None:
    """(status, due_at, attempts) of one occurrence's run, if it has one."""
    cursor = await conn.execute(
        "SELECT status, due_at, attempts FROM job_runs "
        "WHERE kind = ? AND key = ? AND occurrence = ?",
        (kind, key, occurrence),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return str(row["status"]), from_epoch(row["due_at"]), int(row["attempts"])


async def occurrence_taken(conn: Connection, kind: str, key: str, occurrence: str) -> bool:
    """Whether the occurrence has a run at all (done, in flight, failed, missed …)."""
    cursor = await conn.execute(
        "SELECT 1 FROM job_runs WHERE kind = ? AND key = ? AND occurrence = ?",
        (kind, key, occurrence),
    )
    return await cursor.fetchone() is not None


async def ever_claimed(conn: Connection, kind: str, key: str) -> bool:
    """Whether any occurrence of (kind, key) was ever taken up."""
    cursor = await conn.execute("SELECT 1 FROM job_runs WHERE kind = ? AND key = ?", (kind, key))
    return await cursor.fetchone() is not None


async def recover(
    conn: Connection,
    now: datetime,
    cutoff: datetime,
    resumable: Iterable[str],
    live: Iterable[str] | None = None,
) -> tuple[int, int]:
    """Runs a crash left `claimed`: pending again if claimed after `cutoff` or of a resumable
    kind, interrupted otherwise. Returns (sent again, interrupted). In a fleet, `live` are
    the processes holding a lease: their runs are in flight, not left by a crash."""
    kinds = sorted(resumable)
    marks = ",".join("?" for _ in kinds) or "NULL"
    holders = sorted(live) if live is not None else []
    marks_live = ",".join("?" for _ in holders)
    gone = f" AND (claimed_by IS NULL OR claimed_by NOT IN ({marks_live}))" if holders else ""
    cursor = await conn.execute(
        "UPDATE job_runs SET status = 'pending', retry_at = ? "
        f"WHERE status = 'claimed' AND (claimed_at >= ? OR kind IN ({marks})){gone}",
        (to_epoch(now), to_epoch(cutoff), *kinds, *holders),
    )
    resent = cursor.rowcount
    cursor = await conn.execute(
        "UPDATE job_runs SET status = 'interrupted', finished_at = ?, "
        f"detail = 'stopped past the nonce window' WHERE status = 'claimed'{gone}",
        (to_epoch(now), *holders),
    )
    return resent, cursor.rowcount


async def prune_runs(conn: Connection, cutoff: datetime) -> int:
    """Finished run history older than `cutoff`."""
    cursor = await conn.execute(
        "DELETE FROM job_runs WHERE finished_at IS NOT NULL AND finished_at < ? "
        "AND status NOT IN ('claimed', 'pending')",
        (to_epoch(cutoff),),
    )
    return cursor.rowcount


# -- one statement each, through the store -------------------------------------------------------


async def rule_of(store: Store, kind: str, key: str) -> Mapping[str, Any]:
    row = await store.fetchone(
        "SELECT rule FROM scheduled_jobs WHERE kind = ? AND key = ?", (kind, key)
    )
    return json.loads(row["rule"]) if row else {}


async def next_run(store: Store, kind: str, key: str) -> Occurrence | None:
    row = await store.fetchone(
        "SELECT next_run_at, occurrence FROM scheduled_jobs WHERE kind = ? AND key = ?",
        (kind, key),
    )
    if row is None:
        return None
    return Occurrence(from_epoch(row["next_run_at"]), row["occurrence"])


async def next_due_at(
    store: Store, kinds: list[str], scope: ClaimScope | None = None
) -> datetime | None:
    """The earliest next run or pending retry of `kinds` (that `scope` may claim)."""
    if not kinds:
        return None
    marks = ",".join("?" for _ in kinds)
    where, params = scope.any_sql("guild_id") if scope is not None else ("1 = 1", ())
    row = await store.fetchone(
        f"SELECT MIN(next_run_at) FROM scheduled_jobs WHERE (kind || '') IN ({marks}) AND {where}",
        (*kinds, *params),
    )
    retry = await store.fetchone(
        f"SELECT MIN(retry_at) FROM job_runs WHERE status = 'pending' AND kind IN ({marks})",
        kinds,
    )
    found = [r[0] for r in (row, retry) if r is not None and r[0] is not None]
    return from_epoch(min(found)) if found else None


async def run_status(store: Store, kind: str, key: str, occurrence: str) -> str | None:
    row = await store.fetchone(
        "SELECT status FROM job_runs WHERE kind = ? AND key = ? AND occurrence = ?",
        (kind, key, occurrence),
    )
    return str(row["status"]) if row else None


async def defer(store: Store, run: DueRun, retry_at: datetime, detail: str) -> None:
    """The run waits as `pending` until `retry_at`."""
    await store.execute(
        "UPDATE job_runs SET status = 'pending', retry_at = ?, detail = ? "
        "WHERE kind = ? AND key = ? AND occurrence = ?",
        (to_epoch(retry_at), detail, run.kind, run.key, run.occurrence),
    )


async def retry_now(store: Store, kind: str, key: str, now: datetime) -> int:
    return await store.execute(
        "UPDATE job_runs SET retry_at = ? WHERE kind = ? AND key = ? AND status = 'pending' "
        "AND retry_at > ?",
        (to_epoch(now), kind, key, to_epoch(now)),
    )


async def retry_waiting(store: Store, detail: str, now: datetime) -> int:
    return await store.execute(
        "UPDATE job_runs SET retry_at = ? WHERE status = 'pending' AND detail = ? AND retry_at > ?",
        (to_epoch(now), detail, to_epoch(now)),
    )


# -- recording and claiming (Store.run bodies) ----------------------------------------------


def finishing(
    kind: str,
    key: str,
    occurrence: str,
    outcome: Outcome,
    detail: str | None,
    record: Recorder | None,
    now: datetime,
) -> Recorder:
    """The writes that record a run's outcome (and `record`'s), for one transaction."""
    params = (outcome, to_epoch(now), detail, kind, key, occurrence)

    async def finish(conn: Connection) -> None:
        if record is not None:
            await record(conn)
        await conn.execute(_FINISH_SQL, params)

    return finish


async def claim(
    conn: Connection,
    now: datetime,
    limit: int,
    handlers: Mapping[str, JobHandler],
    scope: ClaimScope | None = None,
    claimer: str | None = None,
) -> tuple[list[DueRun], list[DueRun]]:
    """Claim up to `limit` runs, pending retries first: (claimed, missed). A `Store.run` body
    (handlers' rules are pure Python). On PostgreSQL the rows read are locked, and rows another
    process is claiming are skipped (``FOR UPDATE SKIP LOCKED``). A fleet process passes its
    `scope` (bot.scheduling.scope): its own shards' work first, then orphaned shards'."""
    claimed: list[DueRun] = []
    missed: list[DueRun] = []
    kinds = list(handlers)
    marks = ",".join("?" for _ in kinds)
    now_s = to_epoch(now)
    cursor = await conn.execute(
        "SELECT r.kind, r.key, r.occurrence, r.due_at, r.attempts, j.rule "
        "FROM job_runs r LEFT JOIN scheduled_jobs j ON j.kind = r.kind AND j.key = r.key "
        f"WHERE r.status = 'pending' AND r.retry_at <= ? AND r.kind IN ({marks}) "
        f"ORDER BY r.retry_at LIMIT ?{lock_rows(conn, 'r')}",
        (now_s, *kinds, limit),
    )
    pending = await cursor.fetchall()
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
            await conn.execute(
                "UPDATE job_runs SET status = 'failed', finished_at = ?, retry_at = NULL "
                "WHERE kind = ? AND key = ? AND occurrence = ?",
                (now_s, run.kind, run.key, run.occurrence),
            )
            continue
        # `status = 'pending'` again: another process of a fleet may have taken it meanwhile.
        cursor = await conn.execute(
            "UPDATE job_runs SET status = 'claimed', claimed_at = ?, retry_at = NULL, "
            "attempts = attempts + 1, claimed_by = ? WHERE kind = ? AND key = ? "
            "AND occurrence = ? AND status = 'pending'",
            (now_s, claimer, run.kind, run.key, run.occurrence),
        )
        if cursor.rowcount == 1:
            claimed.append(run)
    for where, params in scope_passes(scope):
        room = limit - len(claimed)
        if room <= 0:
            break
        cursor = await conn.execute(
            due_jobs_sql(len(kinds), where) + lock_rows(conn), (now_s, *kinds, *params, room)
        )
        for row in await cursor.fetchall():
            await _claim_job(conn, handlers[row["kind"]], row, now, claimed, missed, claimer)
    for run in missed:
        log.info(
            "Scheduled %s run for %s was missed (past its grace window)", run.kind, run.occurrence
        )
    return [await _prepare(conn, handlers[run.kind], run) for run in claimed], missed


async def _prepare(conn: Connection, handler: JobHandler, run: DueRun) -> DueRun:
    prepare = getattr(handler, "prepare_in", None)
    if prepare is None:
        return run
    await conn.execute("SAVEPOINT prepare_run")  # whatever it did, the claim stands
    try:
        prepared = await prepare(conn, run)
    except Exception as exc:
        if must_retry(exc):  # the claim runs again; no RELEASE on the aborted transaction
            raise
        await conn.execute("ROLLBACK TO prepare_run")
        await conn.execute("RELEASE prepare_run")
        log.exception("Preparing a scheduled %s run failed; it reads for itself", run.kind)
        return run
    await conn.execute("RELEASE prepare_run")
    return replace(run, prepared=prepared)


async def _claim_job(
    conn: Connection,
    handler: JobHandler,
    row: Any,  # a row of due_jobs_sql (sqlite3.Row or asyncpg.Record: read by name)
    now: datetime,
    claimed: list[DueRun],
    missed: list[DueRun],
    claimer: str | None = None,
) -> None:
    rule = json.loads(row["rule"])
    due = Occurrence(from_epoch(row["next_run_at"]), row["occurrence"])
    grace = handler.grace(rule)
    now_s = to_epoch(now)
    nxt: Occurrence | None
    for _ in range(_MAX_CATCH_UP):
        run = DueRun(row["kind"], row["key"], due.label, due.due_at, now, rule)
        on_time = is_within_grace(due, now, grace)
        cursor = await conn.execute(
            _CLAIM_SQL,
            _claim_row(
                run.kind,
                run.key,
                run.occurrence,
                "claimed" if on_time else "missed",
                due.due_at,
                now_s,
                None if on_time else "past the grace window",
                claimer,
            ),
        )
        if cursor.rowcount == 1:
            (claimed if on_time else missed).append(run)
        nxt = handler.next_occurrence(rule, due.due_at)
        if nxt is None or nxt.due_at > now:
            break
        due = nxt
    else:  # still behind after many occurrences: jump to the future
        nxt = handler.next_occurrence(rule, now)
    if nxt is None:
        await conn.execute(_DELETE_JOB, (row["kind"], row["key"]))
    else:
        # The server is (re)noted here too: schedules put before it was recorded get it.
        await conn.execute(
            "UPDATE scheduled_jobs SET next_run_at = ?, occurrence = ?, guild_id = ? "
            "WHERE kind = ? AND key = ?",
            (
                to_epoch(nxt.due_at),
                nxt.label,
                guild_of(handler, row["key"], rule),
                row["kind"],
                row["key"],
            ),
        )
