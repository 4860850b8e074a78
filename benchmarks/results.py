"""benchmarks/results.json: one entry per figure, merged by name (other benchmarks write too).

    [{"name": "interaction checkin 500 at once p99", "value": 41.2, "unit": "ms",
      "goal": "< 100", "meets_goal": true}, ...]

Only figures a run measured are written; an entry of another benchmark (e.g. the rush's
"fan-out" figures) is never touched.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    goal: str  # "< 100", "<= 0", "== 1" ... or "" (recorded, no goal)

    @property
    def meets_goal(self) -> bool | None:
        if not self.goal:
            return None
        op, _, bound = self.goal.partition(" ")
        return _COMPARE[op](self.value, float(bound))

    def entry(self) -> dict[str, Any]:
        value: float = round(self.value, 3) if isinstance(self.value, float) else self.value
        return {
            "name": self.name,
            "value": value,
            "unit": self.unit,
            "goal": self.goal or None,
            "meets_goal": self.meets_goal,
        }

    def line(self) -> str:
        verdict = {True: "meets", False: "MISSES", None: "-"}[self.meets_goal]
        goal = f"goal {self.goal}" if self.goal else ""
        return f"{self.name:<58} {self.value:>12.3f} {self.unit:<8} {goal:<14} {verdict}"


def load(path: Path = RESULTS) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path} must hold a JSON list")
    return data


def record(figures: Iterable[Figure], path: Path = RESULTS) -> None:
    """Replace entries with the same name, append new ones, keep everything else."""
    entries = load(path)
    index = {e.get("name"): i for i, e in enumerate(entries)}
    for figure in figures:
        entry = figure.entry()
        if figure.name in index:
            entries[index[figure.name]] = entry
        else:
            index[figure.name] = len(entries)
            entries.append(entry)
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def report(figures: Iterable[Figure], *, write: bool = True, path: Path = RESULTS) -> None:
    figures = list(figures)
    for figure in figures:
        print(figure.line())
    if write:
        record(figures, path)
        print(f"recorded {len(figures)} figure(s) in {path}")


def main() -> None:
    """`python -m benchmarks.results OTHER.json [...]`: merge other results files into
    benchmarks/results.json by name (for a merge where two branches both wrote it:
    `git show engine:benchmarks/results.json > /tmp/e.json` then this)."""
    import sys

    entries = load()
    index = {e.get("name"): i for i, e in enumerate(entries)}
    for other in sys.argv[1:]:
        for entry in load(Path(other)):
            if entry.get("name") in index:
                entries[index[entry.get("name")]] = entry
            else:
                index[entry.get("name")] = len(entries)
                entries.append(entry)
    RESULTS.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries in {RESULTS}")


if __name__ == "__main__":
    main()
