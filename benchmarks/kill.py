"""Deploys and crashes in the middle of the morning: the real `python -m bot` process killed with
SIGKILL at random points of a rush and started again, on the local Discord with 100 ms latency.

    .venv/bin/python -m benchmarks.kill --servers 1000 --kills 5 --repeats 3 \
        --json benchmarks/results.json

Per trial: posts doubled, servers that got nothing, and how long the whole morning took
(first post to last, restarts included). The issue's baseline: killed after 11 of 300 posts,
289 servers missed their morning (14 trials).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path

from fakecord import FakeDiscord
from tests.helpers.process import bot_env, posted, seed_morning, start_bot, wait_for


async def trial(servers: int, kills: int, latency: float) -> tuple[int, int, float, list[int]]:
    async with FakeDiscord(patch=False, latency=latency, jitter=0.02) as fake:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder)
            channels = await seed_morning(fake, data, servers)
            env = bot_env(fake, data) | {"REBOUND_LOG_LEVEL": "WARNING"}
            points = sorted(random.Random().sample(range(1, servers - 1), kills))
            began: float | None = None
            for point in points:
                child = await start_bot(env)
                try:
                    await wait_for(lambda p=point: posted(channels) >= p, timeout=600)
                finally:
                    child.kill()
                    await child.communicate()
                began = began or time.monotonic()
            child = await start_bot(env)
            try:
                await wait_for(lambda: all(c.messages for c in channels), timeout=600)
                await fake.settle(quiet=0.5)
                took = time.monotonic() - (began or time.monotonic())
            finally:
                child.send_signal(signal.SIGTERM)
                await child.communicate()
            doubled = sum(max(0, len(c.messages) - 1) for c in channels)
            missed = sum(1 for c in channels if not c.messages)
            return doubled, missed, took, points


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for n in range(args.repeats):
        doubled, missed, took, points = asyncio.run(trial(args.servers, args.kills, args.latency))
        print(
            f"trial {n + 1}: killed at {points}: {doubled} doubled, {missed} missed, {took:.1f} s"
        )
        results.append((doubled, missed, took))
    print(
        f"{args.repeats} trials x {args.kills} kills, {args.servers} servers: "
        f"doubled {sum(r[0] for r in results)}, missed {sum(r[1] for r in results)}, "
        f"median {statistics.median(r[2] for r in results):.1f} s"
    )
    if args.json:
        label = f"{args.servers} servers, {args.repeats} trials x {args.kills} kill -9"
        entries = [
            {"name": f"rush kill -9 doubled ({label})", "value": sum(r[0] for r in results),
             "unit": "posts", "goal": "0", "meets_goal": sum(r[0] for r in results) == 0},
            {"name": f"rush kill -9 missed ({label})", "value": sum(r[1] for r in results),
             "unit": "servers", "goal": "0", "meets_goal": sum(r[1] for r in results) == 0},
        ]  # fmt: skip
        existing = json.loads(args.json.read_text()) if args.json.exists() else []
        names = {e["name"] for e in entries}
        args.json.write_text(
            json.dumps([e for e in existing if e["name"] not in names] + entries, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
