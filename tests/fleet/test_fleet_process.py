"""The fleet as an operator runs it: `python -m bot run --shards …` child processes on one
PostgreSQL (embedded, started by the test session) and the local Discord. Kill -9 one process
in the middle of a morning: every post of its servers still goes out, from the other, within
the lease and a minute; nothing twice, nothing missed. Overlapping shards, a different shard
count and a missing shared key are refused."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG
from bot.db import Store
from bot.fleet.leases import all_leases
from fakecord import FakeDiscord
from tests.helpers.cli import run_cli
from tests.helpers.fleet import lease_holders, seed_morning_at, start_fleet_process
from tests.helpers.process import bot_env, posted, sigterm, start_bot, until

pytestmark = pytest.mark.slow

COUNT = 2
LEASE = 6  # seconds: short, so the test takes seconds (the default is 60)


def fleet_env(fake: FakeDiscord, data_dir: Path, url: str) -> dict[str, str]:
    return bot_env(fake, data_dir) | {
        "DATABASE_URL": url,
        "REBOUND_LEASE_SECONDS": str(LEASE),
        "REBOUND_TICK_SECONDS": "2",
    }


async def test_kill_9_one_of_two_processes_mid_morning_and_the_other_sends_its_posts(
    tmp_path: Path, pg_url: str
) -> None:
    per_shard = 80
    async with FakeDiscord(patch=False) as fake:
        fake.latency = 0.05
        # Due a little later, so both processes are up and hold their shards by then.
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=20)
        by_shard = await seed_morning_at(fake, pg_url, due, per_shard, COUNT)
        members = {shard: chans[0].guild.add_member("alice") for shard, chans in by_shard.items()}
        env = fleet_env(fake, tmp_path, pg_url)
        a = await start_fleet_process(env, "0", COUNT)
        b = await start_fleet_process(env, "1", COUNT)
        try:
            await until(lambda: len(fake.identifies) >= 2, "both processes connected", 60)
            assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
            for shard, member in members.items():  # each process answers its own servers
                r = await fake.invoke(member, by_shard[shard][0], "about")
                assert r.ephemeral and r.content
            await until(lambda: posted(by_shard[0]) >= 10, "a mid-morning", 90)
            a.kill()  # kill -9, no restart
            killed = time.monotonic()
            await a.communicate()
            assert a.returncode == -signal.SIGKILL
            assert posted(by_shard[0]) < per_shard, "a finished before it was killed"
            everyone = by_shard[0] + by_shard[1]
            try:
                await until(lambda: all(c.messages for c in everyone), "every post", LEASE + 60)
            except AssertionError:
                _, log = await sigterm(b)
                missing = sum(1 for c in everyone if not c.messages)
                raise AssertionError(f"{missing} posts never went out; b's log:\n{log}") from None
            assert time.monotonic() - killed <= LEASE + 60
            await fake.settle(quiet=0.5)
        finally:
            _, log = await sigterm(b)
            if a.returncode is None:
                a.kill()
                await a.communicate()
        assert b.returncode == 0, log
        assert "Traceback" not in log
        counts = [len(c.messages) for c in everyone]
        assert counts == [1] * len(everyone), counts  # 0 duplicates, 0 missed
        assert fake.count_429 == 0


async def test_overlapping_shards_and_another_shard_count_are_refused(
    tmp_path: Path, pg_url: str
) -> None:
    async with FakeDiscord(patch=False) as fake:
        fake.create_guild("Circle").create_text_channel("affirmations")
        await lease_holders(pg_url)  # migrates the database before any process starts
        env = fleet_env(fake, tmp_path, pg_url)
        a = await start_fleet_process(env, "0-1", 4)
        try:
            await until_holders(pg_url, 1)
            overlap = await start_fleet_process(env, "1-2", 4)
            _, err = await asyncio.wait_for(overlap.communicate(), 60)
            assert overlap.returncode == EXIT_CONFIG
            assert "served by" in err.decode() and "Traceback" not in err.decode()
            other_count = await start_fleet_process(env, "2", 8)
            _, err = await asyncio.wait_for(other_count.communicate(), 60)
            assert other_count.returncode == EXIT_CONFIG
            assert "--shard-count 4" in err.decode()
            assert len(await lease_holders(pg_url)) == 1  # the refused took nothing
        finally:
            _, log = await sigterm(a)
        assert a.returncode == 0, log
        assert await lease_holders(pg_url) == set()  # given back at the stop


def test_a_fleet_process_without_a_shared_key_is_refused(tmp_path: Path, pg_url: str) -> None:
    done = run_cli(
        tmp_path, "run", "--shards", "0", "--shard-count", "2",
        DISCORD_TOKEN="x" * 60, DATABASE_URL=pg_url,
    )  # fmt: skip
    assert done.returncode == EXIT_CONFIG
    assert "REBOUND_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


async def until_holders(url: str, count: int, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    end = time.monotonic() + timeout
    while len(await lease_holders(url)) < count:
        if time.monotonic() > end:
            raise AssertionError("the process never took its shards")
        await asyncio.sleep(0.2)


async def test_sigterm_while_later_shards_wait_to_connect_exits_cleanly(tmp_path: Path) -> None:
    # Shards IDENTIFY 5 s apart; discord.py used to retry a closed bot's next shard forever.
    async with FakeDiscord(patch=False) as fake:
        fake.create_guild("Circle").create_text_channel("affirmations")
        child = await start_bot(bot_env(fake, tmp_path) | {"REBOUND_SHARD_COUNT": "4"})
        await until(lambda: len(fake.identifies) >= 1, "the first shard connected", 60)
        took, log = await sigterm(child)
    assert child.returncode == 0, log
    assert took < 10 and " ERROR " not in log and "Traceback" not in log
    assert len(fake.identifies) == 1  # no shard connected after the stop


async def test_an_idle_process_lends_its_part_of_the_limit_and_nothing_gets_a_429(
    tmp_path: Path, pg_url: str
) -> None:
    """REBOUND_FLEET_BUDGET=shared (the default): shard 0's process has two posts this morning,
    shard 1's has 150. Once shard 0's are out, its process promises to keep a tenth of its half
    and the other borrows the rest: some second holds more of shard 1's posts than its own half
    of the limit lets through (a fixed share never does: tests/core/test_pacing.py). Discord's
    global limit holds (no 429), and every post goes out once."""
    heavy = 150
    async with FakeDiscord(patch=False) as fake:
        fake.latency = 0.05
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=20)
        by_shard = await seed_morning_at(fake, pg_url, due, heavy, COUNT)
        quiet, light = by_shard[0][2:], by_shard[0][:2]
        async with await Store.open(pg_url) as store:
            ids = [c.guild.id for c in quiet]
            marks = ",".join("?" for _ in ids)
            await store.execute(f"DELETE FROM scheduled_jobs WHERE guild_id IN ({marks})", ids)
        env = fleet_env(fake, tmp_path, pg_url)
        a = await start_fleet_process(env, "0", COUNT)
        b = await start_fleet_process(env, "1", COUNT)
        try:
            await until(lambda: len(fake.identifies) >= 2, "both processes connected", 60)
            wanted = light + by_shard[1]
            await until(lambda: all(c.messages for c in wanted), "every post", 120)
            promised = await lease_promises(pg_url)
            await fake.settle(quiet=0.5)
        finally:
            _, log_b = await sigterm(b)
            _, log_a = await sigterm(a)
        assert a.returncode == b.returncode == 0, log_a + log_b
        assert "Traceback" not in log_a + log_b
        assert [len(c.messages) for c in wanted] == [1] * len(wanted)
        assert all(not c.messages for c in quiet)
        assert fake.count_429 == 0
        assert promised["0"] > due.timestamp()  # shard 0's process lent after its morning
        heavy_ids = {str(c.id) for c in by_shard[1]}
        sent = sorted(
            r.at
            for r in fake.requests
            if r.method == "POST"
            and r.path.endswith("/messages")
            and r.path.split("/")[-2] in heavy_ids
        )
        assert len(sent) == heavy
        busiest = max(sum(1 for t in sent[i:] if t < start + 1.0) for i, start in enumerate(sent))
        assert busiest > 30, busiest  # its own half is 25/s, less the pacer's guard


async def lease_promises(url: str) -> dict[str, int]:
    """Each shard's lease's promise (idle_until), by shard."""
    async with await Store.open(url) as store:
        return {str(lease.shard): lease.idle_until for lease in await all_leases(store)}
