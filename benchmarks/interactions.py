"""Interaction load: many members use one command at once, then in a steady burst.

    .venv/bin/python -m benchmarks.interactions --scenario checkin [--repeats 3]
        [--wave 500] [--burst 2000] [--burst-seconds 60] [--servers 100] [--latency-ms 100]

The real bot runs as its own process (`python -m bot`) on the local Discord, which runs here
with the load driver. Per interaction the emulator records when INTERACTION_CREATE left for the
bot and when the bot's callback arrived: that difference is the bot-side latency (Discord wants
the callback within 3 s; the goal is p99 < 100 ms). A "wave" dispatches N interactions in the
same instant; a "burst" spreads M evenly over S seconds, over `--servers` servers with distinct
members (so every one is a first use). Also: missed 3 s deadlines, acknowledged successes versus
rows stored, and the bot process's CPU per interaction and RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import scenarios
from benchmarks.harness import BotProcess, median, percentile, quiet_logs
from benchmarks.latency import DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS, apply_latency
from benchmarks.results import Figure, report
from fakecord import FakeChannel, FakeDiscord, FakeMember, InteractionResult


@dataclass
class Phase:
    label: str
    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    missed: int
    acknowledged: int
    stored: int | None
    cpu_ms_per_interaction: float
    wall_s: float


@dataclass
class Run:
    phases: list[Phase]
    rss_mb: float
    peak_rss_mb: float


@dataclass
class World:
    channels: list[FakeChannel]
    members: list[tuple[FakeMember, FakeChannel]]


def build_world(fake: FakeDiscord, servers: int, per_server: int) -> World:
    channels: list[FakeChannel] = []
    members: list[tuple[FakeMember, FakeChannel]] = []
    for s in range(servers):
        guild = fake.create_guild(f"Circle {s}")
        channel = guild.create_text_channel("general")
        channels.append(channel)
        for m in range(per_server):
            members.append((guild.add_member(f"m{s}-{m}"), channel))
    # interleave servers so a wave spreads over all of them
    members.sort(key=lambda pair: (int(pair[0].user.name.split("-")[1]), pair[1].guild.id))
    return World(channels, members)


def _who(scenario: scenarios.Scenario, member: FakeMember, channel: FakeChannel) -> FakeMember:
    return channel.guild.owner if scenario.as_owner else member


async def _phase(
    fake: FakeDiscord,
    bot: BotProcess,
    scenario: scenarios.Scenario,
    label: str,
    people: list[tuple[FakeMember, FakeChannel]],
    spread_seconds: float,
    first_index: int,
) -> Phase:
    modal = scenario.modal_values is not None
    opened: list[InteractionResult] = []
    if modal:
        # Opening the modals is not what is measured: open them all first (a few at a time),
        # then submit. Submitting is the interaction whose answer means "stored".
        for start in range(0, len(people), 50):
            batch = [
                await fake.start_invoke(
                    _who(scenario, m, c),
                    c,
                    scenario.command,
                    **scenario.options(m, c, first_index + start + i),
                )
                for i, (m, c) in enumerate(people[start : start + 50])
            ]
            opened += await asyncio.gather(*(fake.answered(r) for r in batch))
        await fake.settle()
        closed = [r for r in opened if r.modal is None]
        if closed:
            raise RuntimeError(
                f"/{scenario.command} answered without a modal: {closed[0].content!r}"
            )
    keys = scenario.keys(people)
    stored_before = scenario.count_stored(bot.db_path, keys)
    before = bot.sample()
    began = time.monotonic()
    results: list[InteractionResult] = []
    for i, (member, channel) in enumerate(people):
        if spread_seconds > 0:
            due = began + spread_seconds * i / len(people)
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        if modal:
            assert scenario.modal_values is not None
            results.append(
                await fake.start_modal(
                    _who(scenario, member, channel),
                    channel,
                    opened[i],
                    scenario.modal_values(member, first_index + i),
                )
            )
        else:
            results.append(
                await fake.start_invoke(
                    _who(scenario, member, channel),
                    channel,
                    scenario.command,
                    **scenario.options(member, channel, first_index + i),
                )
            )
    await asyncio.gather(*(fake.answered(r) for r in results))
    await fake.settle(timeout=30)
    wall = time.monotonic() - began
    after = bot.sample()
    # An interaction the bot never answered counts as the 3 s deadline (a floor: it is worse)
    deadline_ms = fake.interactions.deadline * 1000
    latencies = [
        r.bot_latency * 1000 if r.bot_latency is not None else deadline_ms for r in results
    ]
    missed = sum(1 for r in results if r.missed_deadline)
    acknowledged = sum(
        1
        for r in results
        if r.type is not None and not r.missed_deadline and scenario.succeeded(r.content)
    )
    stored_after = scenario.count_stored(bot.db_path, keys)
    stored = None if stored_after is None else stored_after - (stored_before or 0)
    return Phase(
        label=label,
        count=len(people),
        p50_ms=percentile(latencies, 50) if latencies else float("nan"),
        p99_ms=percentile(latencies, 99) if latencies else float("nan"),
        max_ms=max(latencies, default=float("nan")),
        missed=missed,
        acknowledged=acknowledged,
        stored=stored,
        cpu_ms_per_interaction=(after.cpu_seconds - before.cpu_seconds) * 1000 / len(people),
        wall_s=wall,
    )


async def one_run(args: argparse.Namespace, scenario: scenarios.Scenario) -> Run:
    per_server = -(-(args.wave + args.burst) // args.servers)
    async with FakeDiscord(patch=False, global_rate_limit=50) as fake:
        if not args.validate:
            fake.rest.spec = None  # hand-written checks still run; the schema pass is costly
        world = build_world(fake, args.servers, per_server)
        with tempfile.TemporaryDirectory(prefix="rebound-bench-") as folder:
            async with BotProcess(fake, Path(folder)) as bot:
                await bot.commands_synced()
                await bot.ready()
                if scenario.prepare is not None:
                    for channel in world.channels:
                        await scenario.prepare(fake, channel.guild, channel)
                apply_latency(fake, args.latency_ms, args.jitter_ms)
                for owner_channel in world.channels[:5]:  # warm the bot's code paths
                    await fake.invoke(owner_channel.guild.owner, owner_channel, "about")
                wave = world.members[: args.wave]
                burst = world.members[args.wave : args.wave + args.burst]
                phases = [
                    await _phase(fake, bot, scenario, f"{args.wave} at once", wave, 0, 0),
                ]
                if burst:
                    phases.append(
                        await _phase(
                            fake,
                            bot,
                            scenario,
                            f"{len(burst)} in {args.burst_seconds:g} s",
                            burst,
                            args.burst_seconds,
                            args.wave,
                        )
                    )
                stats = bot.sample()
                problems = fake.problems()
                if problems:
                    raise RuntimeError("\n".join(problems))
    return Run(phases, stats.rss_mb, stats.peak_rss_mb)


def figures(scenario: str, runs: list[Run]) -> list[Figure]:
    out: list[Figure] = []
    for i, phase in enumerate(runs[0].phases):
        per = [r.phases[i] for r in runs]
        tag = f"interaction {scenario} {phase.label}"
        out += [
            Figure(f"{tag} p50", median(p.p50_ms for p in per), "ms", ""),
            Figure(f"{tag} p99", median(p.p99_ms for p in per), "ms", "< 100"),
            Figure(f"{tag} missed 3 s deadlines", max(p.missed for p in per), "count", "<= 0"),
            Figure(
                f"{tag} bot cpu per interaction",
                median(p.cpu_ms_per_interaction for p in per),
                "ms",
                "",
            ),
        ]
        if phase.stored is not None:
            gap = max(abs((p.stored or 0) - p.acknowledged) for p in per)
            out.append(Figure(f"{tag} stored minus acknowledged", gap, "count", "<= 0"))
    out.append(
        Figure(
            f"interaction {scenario} load bot peak rss",
            median(r.peak_rss_mb for r in runs),
            "MB",
            "",
        )
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="checkin", help=", ".join(scenarios.SCENARIOS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--wave", type=int, default=500)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--burst-seconds", type=float, default=60)
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument(
        "--latency-ms", type=float, default=DEFAULT_LATENCY_MS, help="emulator REST latency"
    )
    parser.add_argument("--jitter-ms", type=float, default=DEFAULT_JITTER_MS)
    parser.add_argument("--validate", action="store_true", help="OpenAPI-validate every body")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    scenario = scenarios.get(args.scenario)
    runs: list[Run] = []
    with quiet_logs():
        for n in range(args.repeats):
            run = asyncio.run(one_run(args, scenario))
            runs.append(run)
            for p in run.phases:
                print(
                    f"run {n + 1} {p.label:>14}: p50 {p.p50_ms:7.1f} ms  p99 {p.p99_ms:7.1f} ms  "
                    f"max {p.max_ms:7.1f} ms  missed {p.missed}  acked {p.acknowledged}  "
                    f"stored {p.stored}  cpu {p.cpu_ms_per_interaction:.2f} ms/interaction  "
                    f"wall {p.wall_s:.1f} s"
                )
            print(f"run {n + 1} bot rss {run.rss_mb:.1f} MB (peak {run.peak_rss_mb:.1f} MB)")
    name = (
        scenario.name
        if args.wave == 500 and args.burst == 2000
        else (f"{scenario.name} (wave {args.wave}, burst {args.burst})")
    )
    report(figures(name, runs), write=not args.no_record)


if __name__ == "__main__":
    main()
