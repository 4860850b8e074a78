"""Print benchmarks/results.json as a Markdown table (for benchmarks/README.md).

.venv/bin/python -m benchmarks.table [--match interaction rss streak fuzz kill fan-out]
"""

from __future__ import annotations

import argparse

from benchmarks.results import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--match", nargs="*", default=[], help="keep names containing any")
    args = parser.parse_args()
    print("| figure | value | unit | goal | meets |")
    print("|---|---:|---|---|---|")
    for e in load():
        name = str(e.get("name", ""))
        if args.match and not any(m in name for m in args.match):
            continue
        verdict = {True: "yes", False: "**no**", None: "-"}[e.get("meets_goal")]
        value = e.get("value")
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        print(f"| {name} | {shown} | {e.get('unit', '')} | {e.get('goal') or ''} | {verdict} |")


if __name__ == "__main__":
    main()
