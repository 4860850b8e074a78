"""The jobs repository: the only SQL on the scheduler's tables, `scheduled_jobs` and `job_runs`.

`scheduled_jobs` holds one row per schedule (kind, key) with the UTC instant of its next run and
its occurrence label; `job_runs` one row per occurrence that was claimed, with what came of it.
The runner (bot.scheduling.runner) claims and records through here, and features ask here (or
through the Scheduler) about their jobs: never with SQL of their own.

Functions taking a ``Connection`` (bot.db) run inside the caller's transaction (the claim is a
``Store.run`` body: one round trip on SQLite); those taking the Store are one statement each.
The claim's own SQL is in bot.scheduling.claiming; `claim` and `due_jobs_sql` are offered here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from bot.db import Connection, Store
from bot.privacy import Row, delete_rows, fetch_rows
from bot.scheduling.claiming import (
    CLAIM_BY_HAND_SQL,
    DELETE_JOB,
    claim,
    claim_row,
    due_jobs_sql,
)
from bot.scheduling.model import DueRun, Outcome, Recorder, from_epoch, to_epoch
from bot.scheduling.scope import ClaimScope
from bot.timekeeping import Occurrence

__all__ = ["claim", "due_jobs_sql"]  # the claim's, offered here with the rest of the repository

log = logging.getLogger(__name__)

#: The scheduler's tables, as a member's export names them.
SCHEDULES = "scheduled_jobs"
RUNS = "job_runs"
JOB_TABLES = (SCHEDULES, RUNS)

_FINISH_SQL = (
    "UPDATE job_runs SET status = ?, finished_at = ?, detail = ?, retry_at = NULL "
    "WHERE kind = ? AND key = ? AND occurrence = ?"
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
    removed = {SCHEDULES: await delete_rows(conn, DELETE_JOB, (kind, key))}
    if runs:
        removed[RUNS] = await forget_runs(conn, kind, key)
    return removed


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
    values = claim_row(kind, key, occurrence, status, due_at, to_epoch(now), detail, claimer)
    cursor = await conn.execute(CLAIM_BY_HAND_SQL, (*values, kind, key))
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
        "SELECT MIN(retry_at) FROM job_runs WHERE status = 'pending' "
        f"AND kind IN ({marks}) AND {where}",
        (*kinds, *params),
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
