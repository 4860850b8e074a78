"""Scale at rest: the bot process's memory and ready time with many servers, and what a restart
with nothing changed asks of Discord.

    .venv/bin/python -m benchmarks.scale [--guilds 2500 10000] [--repeats 3] [--latency-ms 100]

Each server has three text channels and a couple of roles (what a small community has). The
real bot (`python -m bot`) connects to the local Discord; "ready" is its on_ready log line
(discord.py fires it `guild_ready_timeout` = 2 s after the last GUILD_CREATE, so 2 s of every
ready time is that wait). RSS is read from /proc of the bot's process 3 s after ready. Then the
bot is stopped with SIGTERM and started again on the same data: the requests that second start
makes to the application-commands endpoints should be none (the command set did not change).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import BotProcess, median, quiet_logs
from benchmarks.latency import DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS, apply_latency
from benchmarks.results import Figure, report
from fakecord import FakeDiscord

SETTLE_S = 3.0


@dataclass
class ScaleRun:
    guilds: int
    ready_s: float
    rss_mb: float
    cpu_start_s: float
    restart_ready_s: float
    restart_requests: int
    restart_command_requests: int
    stop_code: int


def build(fake: FakeDiscord, guilds: int) -> None:
    for n in range(guilds):
        guild = fake.create_guild(f"Career Circle {n}")
        for name in ("general", "affirmations", "stories"):
            guild.create_text_channel(name)
        guild.create_role("job seekers", mentionable=True)
        guild.create_role("mentors")


async def one_run(guilds: int, latency_ms: float, jitter_ms: float) -> ScaleRun:
    async with FakeDiscord(patch=False) as fake:
        fake.rest.spec = None  # nothing here is about bodies; keep the emulator light
        apply_latency(fake, latency_ms, jitter_ms)
        build(fake, guilds)
        with tempfile.TemporaryDirectory(prefix="rebound-scale-") as folder:
            bot = BotProcess(fake, Path(folder))
            await bot.start()
            ready = await bot.ready(timeout=600)
            await asyncio.sleep(SETTLE_S)
            first = bot.sample()
            code = await bot.stop()
            before = len(fake.requests)
            await bot.start()
            restart_ready = await bot.ready(timeout=600)
            await fake.settle(timeout=10)
            await asyncio.sleep(SETTLE_S)
            await fake.settle(timeout=10)
            during = fake.requests[before:]
            commands = [r for r in during if "/commands" in (r.template or r.path)]
            await bot.stop()
            return ScaleRun(
                guilds=guilds,
                ready_s=ready,
                rss_mb=first.rss_mb,
                cpu_start_s=first.cpu_seconds,
                restart_ready_s=restart_ready,
                restart_requests=len(during),
                restart_command_requests=len(commands),
                stop_code=code,
            )


def figures(guilds: int, runs: list[ScaleRun]) -> list[Figure]:
    rss_goal = "<= 100" if guilds == 2500 else ""
    if guilds == 10_000:
        rss_goal = "<= 150"  # the rush issue's goal at 10,000 guilds (automatic shards)
    return [
        Figure(f"rss at rest {guilds} guilds", median(r.rss_mb for r in runs), "MB", rss_goal),
        Figure(f"scale ready time {guilds} guilds", median(r.ready_s for r in runs), "s", ""),
        Figure(
            f"scale bot cpu to ready {guilds} guilds", median(r.cpu_start_s for r in runs), "s", ""
        ),
        Figure(
            f"scale restart unchanged {guilds} guilds requests to commands endpoints",
            max(r.restart_command_requests for r in runs),
            "count",
            "<= 0",
        ),
        Figure(
            f"scale restart unchanged {guilds} guilds requests in total",
            median(r.restart_requests for r in runs),
            "count",
            "",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guilds", type=int, nargs="+", default=[2500, 10_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=DEFAULT_LATENCY_MS)
    parser.add_argument("--jitter-ms", type=float, default=DEFAULT_JITTER_MS)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    out: list[Figure] = []
    with quiet_logs():
        for guilds in args.guilds:
            runs = []
            for n in range(args.repeats):
                run = asyncio.run(one_run(guilds, args.latency_ms, args.jitter_ms))
                runs.append(run)
                print(
                    f"{guilds} guilds run {n + 1}: ready {run.ready_s:.1f} s, rss "
                    f"{run.rss_mb:.1f} MB, start cpu {run.cpu_start_s:.1f} s; restart: ready "
                    f"{run.restart_ready_s:.1f} s, {run.restart_requests} requests "
                    f"({run.restart_command_requests} to commands), SIGTERM exit {run.stop_code}"
                )
            out += figures(guilds, runs)
    report(out, write=not args.no_record)


if __name__ == "__main__":
    main()
