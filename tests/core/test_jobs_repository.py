"""The scheduler's tables are its own: features ask bot.scheduling.jobs, never write SQL on
them; and what the jobs repository offers features does what it says."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler, jobs

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_no_feature_names_the_scheduler_s_tables() -> None:
    # A member's export names them (cogs/privacy/messages.py words them); no code does.
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "cogs").rglob("*.py"))
        if path.name != "messages.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"scheduled_jobs|job_runs", line)
    ]
    assert offenders == []


class Daily:
    kind = "test.daily"

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        nxt = after.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        return Occurrence(nxt, nxt.date().isoformat())

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return timedelta(hours=1)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return "done", None


async def test_forget_removes_one_key_s_schedule_and_history_and_nothing_else(
    store: Store,
) -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(store, clock)
    scheduler.register(Daily())
    async with store.transaction() as conn:
        for key in ("a", "b"):
            await scheduler.put_job(conn, "test.daily", key, {"n": 1})
    clock.set(datetime(2026, 3, 3, 0, 30, tzinfo=UTC))
    assert len(await scheduler.run_due()) == 2
    async with store.transaction() as conn:
        assert await jobs.occurrence_taken(conn, "test.daily", "a", "2026-03-03")
        assert not await jobs.occurrence_taken(conn, "test.daily", "a", "2026-03-04")
        assert await jobs.ever_claimed(conn, "test.daily", "a")
        exported = await jobs.export(conn, "test.daily", "a")
        assert [r["key"] for r in exported[jobs.SCHEDULES]] == ["a"]
        assert exported[jobs.SCHEDULES][0]["rule"] == {"n": 1}
        assert [r["status"] for r in exported[jobs.RUNS]] == ["done"]
        assert await jobs.forget(conn, "test.daily", "a") == {jobs.SCHEDULES: 1, jobs.RUNS: 1}
        assert not await jobs.ever_claimed(conn, "test.daily", "a")
        assert await jobs.job_keys(conn, "test.daily") == ["b"]
        assert await jobs.ever_claimed(conn, "test.daily", "b")


def test_the_scheduler_s_modules_and_classes_stay_small() -> None:
    import ast

    paths = sorted((ROOT / "bot" / "scheduling").glob("*.py")) + sorted(
        (ROOT / "bot" / "db").glob("*.py")
    )
    too_big = [str(p.relative_to(ROOT)) for p in paths if len(p.read_text().splitlines()) > 500]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and (node.end_lineno or 0) - node.lineno >= 300:
                too_big.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert too_big == []
