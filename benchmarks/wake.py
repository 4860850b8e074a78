"""How late the scheduler's loop wakes for a run due while it sleeps.

    .venv/bin/python -m benchmarks.wake [--trials 30]

A real Scheduler on a real store and the system clock, nothing else due: each trial writes a
one-shot job due 0.3 to 1.3 s ahead and wakes the loop, which finds nothing due yet and plans
its sleep until the due instant; the figure is how late after that instant the handler starts
(the timer's precision plus one claim). Prints the median and the worst, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from bot.db import Store
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler, to_epoch


class Once:
    kind = "bench.once"

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self.ran = asyncio.Event()

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = datetime.fromtimestamp(rule["at"], UTC)
        return Occurrence(due, str(rule["at"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return timedelta(minutes=1)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.lateness.append((SystemClock().now() - run.due_at).total_seconds() * 1000)
        self.ran.set()
        return "done", None


async def measure(trials: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        async with await Store.open(Path(folder) / "wake.db") as store:
            handler = Once()
            scheduler = Scheduler(store, SystemClock(), tick_seconds=2.0)
            scheduler.register(handler)
            await scheduler.start()
            try:
                for _ in range(trials):
                    handler.ran.clear()
                    # A whole second ahead (the job's instants are epoch seconds) of at least 0.3 s.
                    at = to_epoch(SystemClock().now() + timedelta(seconds=1.3))
                    rule = {"at": at}
                    nxt = handler.next_occurrence(rule, SystemClock().now())
                    assert nxt is not None
                    # The row as put_job writes it (put_job needs the rule's handler to plan).
                    await store.execute(
                        "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (handler.kind, str(at), f'{{"at": {at}}}', at, nxt.label),
                    )
                    scheduler.wake()  # nothing due yet: the loop plans its sleep to `at`
                    await asyncio.wait_for(handler.ran.wait(), timeout=10)
            finally:
                await scheduler.stop()
            return handler.lateness


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    lateness = asyncio.run(measure(args.trials))
    print(
        f"wake-up lateness over {len(lateness)} trials: median "
        f"{statistics.median(lateness):.1f} ms, worst {max(lateness):.1f} ms"
    )


if __name__ == "__main__":
    main()
