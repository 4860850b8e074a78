"""A fleet of shard processes in the test's process: each a real Bot on its own Store of the
same database, serving its shards of the local Discord, with its shard leases wired in exactly
as `python -m bot run --shards` wires them (bot.fleet.start.join)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Bot
from bot.clock import ManualClock
from bot.db import Store
from bot.fleet.leases import ShardLeases, all_leases
from bot.fleet.shards import shard_of
from bot.fleet.start import join
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler
from fakecord import FakeChannel, FakeDiscord
from tests.harness import RunningBot, harness_settings
from tests.helpers.process import ROOT

#: The shard count of the claim tests' fleet.
COUNT = 4


def guild_on(shard: int, n: int = 0) -> int:
    """A snowflake-sized guild id on `shard` of COUNT."""
    guild = ((1000 + n * COUNT + shard) << 22) | 12345
    assert shard_of(guild, COUNT) == shard
    return guild


class Daily:
    def __init__(self, kind: str, *, per_guild: bool) -> None:
        self.kind = kind
        self.per_guild = per_guild
        self.ran: list[str] = []

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        nxt = after.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        return Occurrence(nxt, nxt.date().isoformat())

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return timedelta(hours=1)

    def guild_of(self, key: str, rule: Mapping[str, Any]) -> int | None:
        return int(key) if self.per_guild else None

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        self.ran.append(run.key)
        return "done", None


class FleetProcess(RunningBot):
    """One process of a fleet. Its leases are renewed when the test says (`renew`), on the
    shared fake clock; `crash()` stops it without giving its leases back (as kill -9 would)."""

    def __init__(
        self,
        fake: FakeDiscord,
        data_dir: Path,
        clock: ManualClock,
        shards: tuple[int, ...],
        shard_count: int,
        *,
        lease_seconds: float = 60,
    ) -> None:
        settings = replace(
            harness_settings(data_dir), shards=shards, shard_count=shard_count,
            lease_seconds=lease_seconds,
        )  # fmt: skip
        super().__init__(fake, settings, clock)
        self.name = "shards-" + "-".join(str(s) for s in shards)
        self.leases: ShardLeases | None = None

    async def before_start(self, bot: Bot, scheduler: Scheduler) -> None:
        leases = ShardLeases(
            self.store,
            self.clock,
            shards=self.settings.shards,
            shard_count=self.settings.shard_count,
            lease_seconds=self.settings.lease_seconds,
            holder=f"test-host:{self.name}:{self.starts}",
        )
        await leases.acquire()
        # No first delay: the test looks at the leases by hand, so no view is stale.
        join(
            leases, bot, scheduler, bot.pacer, self.settings.post_rate_per_second,
            delay_first_claim=False,
        )  # fmt: skip
        self.leases = leases

    async def renew(self) -> bool:
        assert self.leases is not None
        return await self.leases.renew()

    async def stop(self) -> None:
        """A clean stop (SIGTERM): the leases are given back."""
        if self.leases is not None and self._store is not None:
            await self.leases.release()
        await super().stop()

    async def crash(self) -> None:
        """Gone without a word: the leases stay until they expire."""
        self.leases = None
        await super().stop()


async def seed_morning_at(
    fake: FakeDiscord,
    target: Path | str | Store,
    at: datetime,
    guilds_per_shard: int,
    shard_count: int,
) -> dict[int, list[FakeChannel]]:
    """Servers with a daily affirmation due at `at`, `guilds_per_shard` on each shard; the
    channels by shard. Written as `/affirmations setup` leaves them (the job knows its server),
    in the data folder `target`'s SQLite file, the PostgreSQL database at `target`, or the
    open store `target` (a running process's)."""
    by_shard: dict[int, list[FakeChannel]] = {s: [] for s in range(shard_count)}
    n = 0
    while any(len(c) < guilds_per_shard for c in by_shard.values()):
        guild = fake.create_guild(f"Circle {n}")
        n += 1
        shard = fake.state.shard_of(guild.id, shard_count)
        if len(by_shard[shard]) < guilds_per_shard:
            by_shard[shard].append(guild.create_text_channel("affirmations"))
    if isinstance(target, Store):
        await _seed(target, by_shard, at)
    else:
        where = target if isinstance(target, str) else target / "rebound.db"
        async with await Store.open(where) as store:
            await _seed(store, by_shard, at)
    return by_shard


async def _seed(store: Store, by_shard: dict[int, list[FakeChannel]], at: datetime) -> None:
    hhmm = at.strftime("%H:%M")
    rule = json.dumps({"days": 127, "time": hhmm, "tz": "UTC"}, sort_keys=True)
    stamp = int(at.timestamp())
    async with store.transaction() as conn:
        for channel in (c for chans in by_shard.values() for c in chans):
            await conn.execute(
                "INSERT INTO affirmation_schedules (guild_id, channel_id, post_time, timezone, "
                "days_mask, created_at, updated_at) VALUES (?, ?, ?, 'UTC', 127, ?, ?)",
                (channel.guild.id, channel.id, hhmm, stamp, stamp),
            )
            await conn.execute(
                "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence, guild_id) "
                "VALUES ('affirmations.guild', ?, ?, ?, ?, ?)",
                (str(channel.guild.id), rule, stamp, at.date().isoformat(), channel.guild.id),
            )


def post_counts(channels: list[FakeChannel]) -> list[int]:
    return [len([m for m in c.messages if m.get("embeds")]) for c in channels]


def command_syncs(fake: FakeDiscord) -> list[Any]:
    return [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]


async def start_fleet_process(
    env: dict[str, str], shards: str, shard_count: int
) -> asyncio.subprocess.Process:
    """`python -m bot run --shards … --shard-count …` as a child process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--shards", shards, "--shard-count", str(shard_count),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def lease_holders(url: str) -> set[str]:
    async with await Store.open(url) as store:
        return {lease.holder for lease in await all_leases(store)}
