"""How long /streak show's heatmap takes to render (the issue asks for under 100 ms).

    .venv/bin/python -m benchmarks.heatmap [--repeats 50]

Renders empty, sparse and full 16-week histories (plus the streak arithmetic over a year of
check-ins) and prints the median milliseconds of each. Numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from cogs.streaks import heatmap, logic

TODAY = date(2026, 4, 22)


def histories() -> dict[str, logic.History]:
    year = [TODAY - timedelta(days=n) for n in range(365)]
    return {
        "empty": logic.History(),
        "sparse": logic.History(checkins={d: 1 for d in year[::9]}),
        "full": logic.History(
            checkins={d: n % 9 for n, d in enumerate(year)},
            rest=[logic.RestRule(year[-1], logic.WEEKENDS_MASK)],
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    for name, history in histories().items():
        compute_ms, render_ms = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            state = logic.compute(history, TODAY)
            middle = time.perf_counter()
            heatmap.render(state, history.checkins, title="Streak", subtitle="this week")
            render_ms.append((time.perf_counter() - middle) * 1000)
            compute_ms.append((middle - start) * 1000)
        print(
            f"{name:>6}: compute {statistics.median(compute_ms):6.2f} ms · "
            f"render {statistics.median(render_ms):6.2f} ms (median of {args.repeats})"
        )


if __name__ == "__main__":
    main()
