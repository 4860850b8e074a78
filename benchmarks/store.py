"""The store: /checkin and /streak show on a big database, bytes per check-in, a year's growth,
and what the durability setting costs.

    .venv/bin/python -m benchmarks.store [--members 50000] [--checkins 1000000] [--samples 2000]
        [--repeats 3] [--year-servers 2500] [--skip-year] [--skip-durability]

- **DB part.** A database built through the real migrations, filled with `--checkins` check-ins
  over `--members` members (2,500 servers of 20; each member checked in on 20 of the last 30
  days). Then the streaks service itself (`cogs.streaks.service.StreakService`) on the real
  `Store` (aiosqlite, WAL): `checkin` for a member who has not checked in today, and the
  snapshot `/streak show` reads (`take_freeze_notice`), timed per call; p50/p99 of `--samples`
  calls, with `synchronous=FULL` as the bot runs it (NORMAL only with --skip-durability).
  "With the picture" adds `heatmap.render` (the PNG) to the show. Goal p99 < 5 ms for
  the DB part and < 100 ms with the picture.
- **Bytes per check-in.** Database size (after a WAL checkpoint) with the check-ins minus
  without them, divided by their number: the row plus its primary-key index.
- **A year of 2,500 servers.** A fresh database filled the way a year would fill it (see
  `YEAR` for the assumptions: posts, scheduler runs, check-ins, stories), its size.
- **Durability.** The cost of one check-in transaction with `synchronous=NORMAL` versus `FULL`
  (WAL): the median of the same checkin calls under each, on the same database.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.harness import median, percentile
from benchmarks.results import Figure, report
from bot.clock import ManualClock
from bot.db import Store
from bot.feature_migrations import migrate_every_feature
from bot.scheduling import Scheduler

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SERVERS_OF = 20  # members per server in the big database
GUILD_BASE = 10**17
USER_BASE = 2 * 10**17

#: What a year of one server adds, on average (assumptions of the year simulation).
YEAR = {
    "affirmation posts (one a day)": 365,
    "scheduler runs (one a day)": 365,
    "members with a streak profile": 20,
    "check-ins (10 members, 5 days a week)": 10 * 5 * 52,
    "stories (2 a week, ~400 characters)": 2 * 52,
}


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


async def migrate(path: Path) -> None:
    store = await Store.open(path)
    try:
        await migrate_every_feature(store)
    finally:
        await store.close()


def db_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        return int(pages * size)
    finally:
        conn.close()


def fill_profiles(path: Path, members: int) -> None:
    now = _epoch(NOW)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO streak_profiles (guild_id, user_id, zone, created_at, updated_at) "
            "VALUES (?, ?, 'UTC', ?, ?)",
            ((GUILD_BASE + m // SERVERS_OF, USER_BASE + m, now, now) for m in range(members)),
        )
    conn.close()


def fill_checkins(path: Path, members: int, checkins: int, seed: int = 1) -> int:
    """`checkins` rows: each member on a random subset of the last 30 days (not today)."""
    rng = random.Random(seed)
    per_member = max(1, checkins // members)
    today = NOW.date()
    days = [(today - timedelta(days=d)).isoformat() for d in range(1, 31)]
    now = _epoch(NOW)

    def rows() -> object:
        for m in range(members):
            for day in rng.sample(days, min(per_member, len(days))):
                note = "Two calls and a take-home." if rng.random() < 0.2 else None
                yield (
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

    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO streak_checkins (guild_id, user_id, local_date, applications, "
            "networking, skills, note, timezone, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),  # type: ignore[arg-type]
        )
    count = conn.execute("SELECT COUNT(*) FROM streak_checkins").fetchone()[0]
    conn.close()
    return int(count)


async def time_service(
    path: Path, members: int, samples: int, synchronous: str, seed: int
) -> dict[str, list[float]]:
    """Per-call seconds of the streaks service's checkin and show (DB part, and with PNG)."""
    from cogs.streaks import heatmap, render
    from cogs.streaks.repository import Counts
    from cogs.streaks.service import StreakService

    rng = random.Random(seed)
    store = await Store.open(path)
    try:
        await store.fetchone(f"PRAGMA synchronous = {synchronous}")
        service = StreakService(store, ManualClock(NOW))
        # members who have not checked in today yet, each used once
        picks = rng.sample(range(members), min(samples * 2, members))
        out: dict[str, list[float]] = {"checkin": [], "show": [], "show+png": []}
        counts = Counts(2, 1, None, None)
        for m in picks[:samples]:
            guild, user = GUILD_BASE + m // SERVERS_OF, USER_BASE + m
            began = time.perf_counter()
            await service.checkin(guild, user, counts, yesterday=False, celebrations_possible=False)
            out["checkin"].append(time.perf_counter() - began)
        for m in picks[samples:] or picks[:samples]:
            guild, user = GUILD_BASE + m // SERVERS_OF, USER_BASE + m
            began = time.perf_counter()
            snap, _ = await service.take_freeze_notice(guild, user)
            middle = time.perf_counter()
            heatmap.render(
                snap.state,
                snap.history.checkins,
                title=render.show_title(snap),
                subtitle=render.show_subtitle(snap),
            )
            done = time.perf_counter()
            out["show"].append(middle - began)
            out["show+png"].append(done - began)
        return out
    finally:
        await store.close()


def _morning(start: date, day: int) -> datetime:
    return datetime.combine(start + timedelta(days=day), datetime.min.time(), UTC).replace(hour=8)


YEAR_START = date(2026, 1, 1)
YEAR_END = datetime.combine(YEAR_START + timedelta(days=365), datetime.min.time(), UTC)


async def prune_like_the_bot(path: Path) -> int:
    """The bot's own hourly housekeeping at the end of the year: run history past the
    retention setting (`REBOUND_RUN_HISTORY_DAYS`, default 30) and the affirmation post log."""
    from bot.settings import Settings
    from cogs.affirmations.repository import AffirmationRepository

    days = next(f.default for f in dataclasses.fields(Settings) if f.name == "run_history_days")
    store = await Store.open(path)
    try:
        scheduler = Scheduler(store, ManualClock(YEAR_END), history_days=int(days))
        scheduler.add_housekeeping(AffirmationRepository.prune_posts)
        return await scheduler.prune()
    finally:
        await store.close()


def live_bytes(path: Path) -> int:
    """Bytes in use (pages minus the free list): what the file settles at once freed pages
    are reused by the next days' rows."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * size)
    finally:
        conn.close()


def simulate_year(path: Path, servers: int, seed: int = 2) -> dict[str, int]:
    """Fill a fresh (migrated) database with a year of `servers` servers; rows per table."""
    start = YEAR_START
    now = _epoch(NOW)
    story = (
        "Made it to the final round after six weeks of interviews. The panel liked the system "
        "design part, then a short email said they went with someone else. I keep replaying "
        "the last question and wondering what I could have said differently there."
    )
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        conn.execute(
            "CREATE TEMP TABLE g(n INTEGER PRIMARY KEY)",
        )
        conn.execute(
            "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ?) "
            "INSERT INTO g SELECT n FROM s",
            (servers - 1,),
        )
        # each day's post at 08:00 UTC: its run finishes then (housekeeping prunes by that time)
        conn.execute("CREATE TEMP TABLE d(n INTEGER PRIMARY KEY, day TEXT, t INTEGER)")
        conn.executemany(
            "INSERT INTO d VALUES (?, ?, ?)",
            [
                (i, (start + timedelta(days=i)).isoformat(), _epoch(_morning(start, i)))
                for i in range(365)
            ],
        )
        conn.execute(
            "INSERT INTO affirmation_posts (guild_id, local_date, item_id, channel_id, message_id, "
            "posted_at, source) SELECT ? + g.n, d.day, 'bundled:' || (d.n % 97), "
            "? + g.n, ? + g.n * 1000 + d.n, d.t, 'schedule' FROM g, d",
            (GUILD_BASE, GUILD_BASE + 5 * 10**15, 3 * 10**17),
        )
        conn.execute(
            "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, "
            "finished_at, detail) SELECT 'affirmations.guild', CAST(? + g.n AS TEXT), d.day, "
            "'done', d.t, d.t, d.t, NULL FROM g, d",
            (GUILD_BASE,),
        )
        conn.execute(
            "INSERT INTO streak_profiles (guild_id, user_id, zone, created_at, updated_at) "
            "SELECT ? + g.n, ? + g.n * 100 + m.n, 'UTC', ?, ? FROM g, "
            "(SELECT n FROM d WHERE n < 20) AS m",
            (GUILD_BASE, USER_BASE, now, now),
        )
        conn.execute(
            "INSERT INTO streak_checkins (guild_id, user_id, local_date, applications, "
            "networking, skills, note, timezone, created_at, updated_at) "
            "SELECT ? + g.n, ? + g.n * 100 + m.n, d.day, (d.n + m.n) % 6, d.n % 3, NULL, "
            "CASE WHEN (d.n + m.n) % 5 = 0 THEN 'Two calls and a take-home.' END, 'UTC', ?, ? "
            "FROM g, (SELECT n FROM d WHERE n < 10) AS m, d WHERE d.n % 7 < 5",
            (GUILD_BASE, USER_BASE, now, now),
        )
        conn.execute(
            "INSERT INTO stories (public_id, guild_id, author, status, body, stage, created_at, "
            "submitted_at, posted_at, number, channel_id, message_id) "
            "SELECT lower(hex(randomblob(8))), ? + g.n, lower(hex(randomblob(32))), 'posted', "
            "?, 'final_round', ?, ?, ?, w.n + 1, ? + g.n, ? + g.n * 1000 + w.n "
            "FROM g, (SELECT n FROM d WHERE n < 104) AS w",
            (GUILD_BASE, story, now, now, now, GUILD_BASE + 6 * 10**15, 4 * 10**17),
        )
    tables = ["affirmation_posts", "job_runs", "streak_profiles", "streak_checkins", "stories"]
    rows = {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    conn.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--year-servers", type=int, default=2500)
    parser.add_argument("--skip-year", action="store_true")
    parser.add_argument("--skip-timing", action="store_true", help="only sizes")
    parser.add_argument("--skip-durability", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="rebound-store-") as folder:
        base = Path(folder) / "base.db"
        asyncio.run(migrate(base))
        fill_profiles(base, args.members)
        empty = db_bytes(base)
        began = time.perf_counter()
        rows = fill_checkins(base, args.members, args.checkins)
        full = db_bytes(base)
        print(
            f"built {rows:,} check-ins in {time.perf_counter() - began:.1f} s: {full / 1e6:.1f} MB"
        )
        per_checkin = (full - empty) / rows
        runs: dict[str, list[dict[str, list[float]]]] = {"NORMAL": [], "FULL": []}
        modes = ["NORMAL"] if args.skip_durability else ["NORMAL", "FULL"]
        for n in range(0 if args.skip_timing else args.repeats):
            for mode in modes:
                copy = Path(folder) / f"run-{n}-{mode}.db"
                copy.write_bytes(base.read_bytes())
                timings = asyncio.run(time_service(copy, args.members, args.samples, mode, n))
                runs[mode].append(timings)
                copy.unlink()
                print(
                    f"run {n + 1} synchronous={mode}: "
                    + ", ".join(
                        f"{k} p50 {percentile(v, 50) * 1000:.2f} ms p99 "
                        f"{percentile(v, 99) * 1000:.2f} ms"
                        for k, v in timings.items()
                    )
                )

        # The headline figures are for what the bot runs: synchronous=FULL (bot/db/connection.py).
        bot_mode = "NORMAL" if args.skip_durability else "FULL"

        def p(kind: str, pct: float, mode: str = bot_mode) -> float:
            return median(percentile(r[kind], pct) * 1000 for r in runs[mode])

        scale = f"{rows / 1e6:g}M check-ins, {args.members // 1000}k members"
        figures.append(Figure("streak bytes per check-in", per_checkin, "bytes", ""))
        if not args.skip_timing:
            figures += [
                Figure(f"streak checkin db p50 ({scale})", p("checkin", 50), "ms", ""),
                Figure(f"streak checkin db p99 ({scale})", p("checkin", 99), "ms", "< 5"),
                Figure(f"streak show db p50 ({scale})", p("show", 50), "ms", ""),
                Figure(f"streak show db p99 ({scale})", p("show", 99), "ms", "< 5"),
                Figure(f"streak show with heatmap p99 ({scale})", p("show+png", 99), "ms", "< 100"),
            ]
        if not args.skip_durability and not args.skip_timing:
            normal = median(statistics.median(r["checkin"]) * 1000 for r in runs["NORMAL"])
            full_sync = median(statistics.median(r["checkin"]) * 1000 for r in runs["FULL"])
            figures += [
                Figure("streak checkin median synchronous=NORMAL", normal, "ms", ""),
                Figure("streak checkin median synchronous=FULL", full_sync, "ms", ""),
                Figure(
                    "streak checkin durability cost FULL minus NORMAL", full_sync - normal, "ms", ""
                ),
            ]
        if not args.skip_year:
            year = Path(folder) / "year.db"
            asyncio.run(migrate(year))
            before = db_bytes(year)
            began = time.perf_counter()
            counts = simulate_year(year, args.year_servers)
            size = db_bytes(year)
            print(
                f"a year of {args.year_servers} servers ({time.perf_counter() - began:.0f} s): "
                + ", ".join(f"{k} {v:,}" for k, v in counts.items())
                + f"; {size / 1e6:.0f} MB (empty {before / 1e6:.2f} MB)"
            )
            removed = asyncio.run(prune_like_the_bot(year))
            kept = live_bytes(year)
            print(
                f"after the bot's housekeeping: {removed:,} rows pruned, {kept / 1e6:.0f} MB in use"
            )
            figures += [
                Figure(
                    f"streak store db size after a year of {args.year_servers} servers",
                    size / 1e6,
                    "MB",
                    "",
                ),
                Figure(
                    f"store db size after a year of {args.year_servers} servers, history pruned",
                    kept / 1e6,
                    "MB",
                    "",
                ),
            ]
    report(figures, write=not args.no_record)


if __name__ == "__main__":
    main()
