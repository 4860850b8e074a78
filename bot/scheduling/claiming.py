"""The claim: the SQL that takes due runs (pending retries, then due schedules) for one process.

A part of the jobs repository (bot.scheduling.jobs re-exports what others call), split off so
each file holds one idea: here, which rows a claim reads and writes. Each claimed run records
its server (`job_runs.guild_id`, from its schedule's), so a fleet process takes its own
servers' pending retries first as it does their due schedules (bot.scheduling.scope), and a
retry of a live neighbour's server stays with that neighbour.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.db import Connection, lock_rows, must_retry
from bot.scheduling.model import DueRun, JobHandler, from_epoch, to_epoch
from bot.scheduling.scope import ClaimScope, guild_of, scope_passes
from bot.timekeeping import Occurrence, is_within_grace

log = logging.getLogger(__name__)

# A job that fell very far behind (the bot was off for months) records at most this many
# missed occurrences per claim before jumping ahead.
MAX_CATCH_UP = 400

_COLUMNS = (
    "kind, key, occurrence, status, due_at, claimed_at, finished_at, detail, attempts, "
    "claimed_by, guild_id"
)
#: A run's row, with the server it belongs to (NULL: work of no server).
CLAIM_SQL = (
    f"INSERT INTO job_runs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING"
)
#: The same, by hand (Scheduler.claim_occurrence): the server is its schedule's, if any.
CLAIM_BY_HAND_SQL = (
    f"INSERT INTO job_runs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "(SELECT guild_id FROM scheduled_jobs WHERE kind = ? AND key = ?)) ON CONFLICT DO NOTHING"
)
DELETE_JOB = "DELETE FROM scheduled_jobs WHERE kind = ? AND key = ?"


def claim_row(
    kind: str,
    key: str,
    occurrence: str,
    status: str,
    due_at: datetime,
    now: int,
    detail: str | None,
    claimer: str | None = None,
) -> tuple[Any, ...]:
    """The job_runs row of a claim (or of a run recorded as already finished), less its
    server; `claimer` is the fleet process that claimed it (bot/fleet), so its runs are
    recovered if it dies."""
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


def pending_sql(kinds: int, where: str = "") -> str:
    """The claim's first read: pending retries now due (of the servers `where` admits)."""
    marks = ",".join("?" for _ in range(kinds))
    return (
        "SELECT r.kind, r.key, r.occurrence, r.due_at, r.attempts, j.rule "
        "FROM job_runs r LEFT JOIN scheduled_jobs j ON j.kind = r.kind AND j.key = r.key "
        f"WHERE r.status = 'pending' AND r.retry_at <= ? AND r.kind IN ({marks}) {where}"
        "ORDER BY r.retry_at LIMIT ?"
    )


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
    `scope` (bot.scheduling.scope): its own shards' work first, then orphaned shards', for
    pending retries as for due schedules."""
    claimed: list[DueRun] = []
    missed: list[DueRun] = []
    kinds = list(handlers)
    now_s = to_epoch(now)
    for where, params in scope_passes(scope, "r.guild_id"):
        room = limit - len(claimed)
        if room <= 0:
            break
        cursor = await conn.execute(
            pending_sql(len(kinds), where) + lock_rows(conn, "r"),
            (now_s, *kinds, *params, room),
        )
        for row in await cursor.fetchall():
            await _claim_pending(conn, handlers, row, now, claimed, claimer)
    for where, params in scope_passes(scope, "guild_id"):
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


async def _claim_pending(
    conn: Connection,
    handlers: Mapping[str, JobHandler],
    row: Any,  # a row of pending_sql (read by name)
    now: datetime,
    claimed: list[DueRun],
    claimer: str | None,
) -> None:
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
    now_s = to_epoch(now)
    if now - due_at > handlers[run.kind].grace(rule):
        await conn.execute(
            "UPDATE job_runs SET status = 'failed', finished_at = ?, retry_at = NULL "
            "WHERE kind = ? AND key = ? AND occurrence = ?",
            (now_s, run.kind, run.key, run.occurrence),
        )
        return
    # `status = 'pending'` again: another process of a fleet may have taken it meanwhile.
    cursor = await conn.execute(
        "UPDATE job_runs SET status = 'claimed', claimed_at = ?, retry_at = NULL, "
        "attempts = attempts + 1, claimed_by = ? WHERE kind = ? AND key = ? "
        "AND occurrence = ? AND status = 'pending'",
        (now_s, claimer, run.kind, run.key, run.occurrence),
    )
    if cursor.rowcount == 1:
        claimed.append(run)


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
    # The handler's word for the server, else the one recorded when the job was put.
    guild = guild_of(handler, row["key"], rule)
    if guild is None and row["guild_id"] is not None:
        guild = int(row["guild_id"])
    nxt: Occurrence | None
    for _ in range(MAX_CATCH_UP):
        run = DueRun(row["kind"], row["key"], due.label, due.due_at, now, rule)
        on_time = is_within_grace(due, now, grace)
        values = claim_row(
            run.kind,
            run.key,
            run.occurrence,
            "claimed" if on_time else "missed",
            due.due_at,
            now_s,
            None if on_time else "past the grace window",
            claimer,
        )
        cursor = await conn.execute(CLAIM_SQL, (*values, guild))
        if cursor.rowcount == 1:
            (claimed if on_time else missed).append(run)
        nxt = handler.next_occurrence(rule, due.due_at)
        if nxt is None or nxt.due_at > now:
            break
        due = nxt
    else:  # still behind after many occurrences: jump to the future
        nxt = handler.next_occurrence(rule, now)
    if nxt is None:
        await conn.execute(DELETE_JOB, (row["kind"], row["key"]))
    else:
        # The server is (re)noted here too: schedules put before it was recorded get it.
        await conn.execute(
            "UPDATE scheduled_jobs SET next_run_at = ?, occurrence = ?, guild_id = ? "
            "WHERE kind = ? AND key = ?",
            (to_epoch(nxt.due_at), nxt.label, guild, row["kind"], row["key"]),
        )
