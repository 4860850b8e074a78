"""How long one scheduler tick takes to claim and run N due posts, and its memory.

    .venv/bin/python -m benchmarks.scheduler [--jobs 1000 5000] [--repeats 5]

The handler does no I/O, so this measures the claim transaction and bookkeeping alone: the
part that must stay small next to Discord's 50 requests/s. Prints medians; numbers go in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.db import Store
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


class Daily:
    kind = "bench.daily"

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        nxt = (after + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
        if after < after.replace(hour=8, minute=0, second=0, microsecond=0):
            nxt = after.replace(hour=8, minute=0, second=0, microsecond=0)
        return Occurrence(nxt, nxt.date().isoformat())

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return timedelta(hours=3)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return "done", None


async def one_tick(jobs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock(START)
        async with await Store.open(Path(folder) / "bench.db") as store:
            scheduler = Scheduler(store, clock)
            scheduler.register(Daily())
            async with store.transaction() as conn:
                for key in range(jobs):
                    await scheduler.put_job(conn, Daily.kind, str(key), {})
            clock.set(START + timedelta(hours=1, seconds=1))
            tracemalloc.start()
            began = time.perf_counter()
            results = await scheduler.run_due()
            elapsed = time.perf_counter() - began
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert len(results) == jobs
            return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'jobs':>6} {'median s':>9} {'per job ms':>11} {'peak MiB':>9}")
    for jobs in args.jobs:
        runs = [asyncio.run(one_tick(jobs)) for _ in range(args.repeats)]
        seconds = statistics.median(r[0] for r in runs)
        peak = statistics.median(r[1] for r in runs) / 2**20
        print(f"{jobs:>6} {seconds:>9.3f} {seconds / jobs * 1000:>11.3f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
