"""The long fault runs (the test suite runs the same code briefly: tests/faults/).

    .venv/bin/python -m benchmarks.faults kill [--trials 20] [--per-trial 150]
    .venv/bin/python -m benchmarks.faults dead-channels [--servers 100]
    .venv/bin/python -m benchmarks.faults fuzz [--inputs 10000]
    .venv/bin/python -m benchmarks.faults all

- kill: the bot process (`python -m bot`) gets SIGKILL at a random moment while members check
  in (a steady stream), `--trials` times on the same data; after each restart every check-in
  whose acknowledgement reached the emulator must be stored, and every member retrying must
  not make a day count twice.
- dead-channels: `--servers` servers whose affirmation channel was deleted or made unwritable
  before the morning post, told by the gateway or not: failing requests per channel, notices
  per server, Discord's invalid-request count.
- fuzz: `--inputs` hypothesis-generated invocations spread over every synced command, with
  their modals: unhandled errors, messages that could ping, request bodies the emulator rejects.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.harness import quiet_logs
from benchmarks.results import Figure, report
from benchmarks.scenarios import write_scenario
from fakecord import FakeDiscord
from tests.helpers.faults import dead_channels, fuzz
from tests.helpers.faults.kill import build_members, run_trials


async def kill(args: argparse.Namespace) -> list[Figure]:
    scenario = write_scenario()
    servers = 20
    per_server = -(-args.trials * args.per_trial // servers)
    async with FakeDiscord(patch=False) as fake:
        people = build_members(fake, servers, per_server)
        with tempfile.TemporaryDirectory(prefix="rebound-kill-") as folder:
            rep = await run_trials(
                fake,
                Path(folder),
                scenario,
                people,
                trials=args.trials,
                per_trial=args.per_trial,
                rate_per_s=args.rate,
                kill_window=(0.05, args.per_trial / args.rate),
                seed=args.seed,
            )
    for n, t in enumerate(rep.trials, 1):
        print(
            f"trial {n:>2}: killed at {t.kill_after_s:.2f} s after {t.sent} sent, "
            f"{t.acknowledged} acknowledged, {len(t.missing_after_restart)} lost, "
            f"{t.doubled} doubled, {t.stored} stored after the retry"
        )
    tag = f"kill -9 during {scenario.name} load"
    return [
        Figure(f"{tag} trials", len(rep.trials), "count", ">= 20"),
        Figure(f"{tag} acknowledged", rep.acknowledged, "count", ""),
        Figure(f"{tag} acknowledged but lost after restart", rep.lost, "count", "<= 0"),
        Figure(f"{tag} days counted twice", rep.doubled, "count", "<= 0"),
    ]


async def dead(args: argparse.Namespace) -> list[Figure]:
    out: list[Figure] = []
    for feature in sorted(dead_channels.FEATURES):
        async with FakeDiscord(patch=True) as fake:
            with tempfile.TemporaryDirectory(prefix="rebound-dead-") as folder:
                rep = await dead_channels.run(fake, Path(folder), args.servers, feature=feature)
        told = max(rep.worst_failing("deleted"), rep.worst_failing("unwritable"))
        untold = max(
            rep.worst_failing("deleted-silently"), rep.worst_failing("unwritable-silently")
        )
        notices = rep.notice_counts
        print(f"{feature}: {len(rep.servers)} servers; notices per server: {dict(notices)}")
        tag = f"dead {feature} channels {len(rep.servers)} servers"
        out += [
            Figure(f"{tag} failing requests per channel (gateway said so)", told, "count", "<= 0"),
            Figure(
                f"{tag} failing requests per channel (gateway did not)", untold, "count", "<= 1"
            ),
            Figure(f"{tag} fewest notices per server", min(notices), "count", ">= 1"),
            Figure(f"{tag} most notices per server", max(notices), "count", "<= 1"),
            Figure(f"{tag} invalid requests", rep.invalid_requests, "count", "< 10000"),
            Figure(f"{tag} failing requests the next day", rep.failing_next_day, "count", "<= 0"),
            Figure(f"{tag} notices the next day", rep.notices_next_day, "count", "<= 0"),
        ]
    return out


async def fuzzing(args: argparse.Namespace) -> list[Figure]:
    began = time.monotonic()
    async with FakeDiscord(allow_rejections=True) as fake:
        with tempfile.TemporaryDirectory(prefix="rebound-fuzz-") as folder:
            rep = await fuzz.run(fake, Path(folder), args.inputs, only=args.only)
    print(
        f"{rep.inputs} inputs over {len(rep.commands)} commands ({rep.modals} modals) in "
        f"{time.monotonic() - began:.0f} s"
    )
    for label, items in (
        ("errors", rep.errors),
        ("unanswered", rep.unanswered),
        ("ping risks", rep.ping_risks),
        ("rejected", rep.rejected),
    ):
        for item in items[:10]:
            print(f"  {label}: {item[:600]}")
    return [
        Figure("fuzz inputs", rep.inputs, "count", ">= 10000"),
        Figure("fuzz commands covered", len(rep.commands), "count", ""),
        Figure("fuzz modals submitted", rep.modals, "count", ""),
        Figure("fuzz unhandled errors", rep.unhandled, "count", "<= 0"),
        Figure("fuzz messages that could ping", len(rep.ping_risks), "count", "<= 0"),
        Figure("fuzz request bodies rejected", len(rep.rejected), "count", "<= 0"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", choices=["kill", "dead-channels", "fuzz", "all"])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--per-trial", type=int, default=150)
    parser.add_argument("--rate", type=float, default=200, help="check-ins per second")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--only", help="fuzz only commands starting with this (to reproduce)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    figures: list[Figure] = []
    with quiet_logs():
        if args.run in ("kill", "all"):
            figures += asyncio.run(kill(args))
        if args.run in ("dead-channels", "all"):
            figures += asyncio.run(dead(args))
    if args.run in ("fuzz", "all"):
        figures += asyncio.run(fuzzing(args))  # needs ERROR records: logging stays on
    report(figures, write=not args.no_record)


if __name__ == "__main__":
    main()
