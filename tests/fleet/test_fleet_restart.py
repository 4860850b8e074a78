"""Kill -9 both processes of a fleet in the middle of a morning and restart them: every post
goes out once (the short version of `benchmarks/fleet.py --kill-both`). Real `python -m bot run
--shards …` child processes on the session's PostgreSQL and the local Discord."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakecord import FakeDiscord
from tests.helpers.fleet import seed_morning_at, start_fleet_process
from tests.helpers.process import bot_env, posted, sigterm, until

pytestmark = pytest.mark.slow

COUNT = 2
LEASE = 6  # seconds: short, so the test takes seconds (the default is 60)


async def test_kill_9_both_processes_mid_morning_and_restart_them_posts_each_once(
    tmp_path: Path, pg_url: str
) -> None:
    per_shard = 60
    async with FakeDiscord(patch=False) as fake:
        fake.latency = 0.05
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=20)
        by_shard = await seed_morning_at(fake, pg_url, due, per_shard, COUNT)
        everyone = by_shard[0] + by_shard[1]
        env = bot_env(fake, tmp_path) | {
            "DATABASE_URL": pg_url,
            "REBOUND_LEASE_SECONDS": str(LEASE),
            "REBOUND_TICK_SECONDS": "2",
        }
        a = await start_fleet_process(env, "0", COUNT)
        b = await start_fleet_process(env, "1", COUNT)
        restarted = []
        try:
            await until(lambda: len(fake.identifies) >= 2, "both processes connected", 60)
            await until(lambda: posted(everyone) >= 10, "the morning under way", 90)
            a.kill()  # kill -9
            await a.communicate()
            await until(lambda: posted(everyone) >= 20, "b still posting", 30)
            b.kill()  # both are down now, mid-morning
            await b.communicate()
            assert a.returncode == b.returncode == -signal.SIGKILL
            assert posted(everyone) < len(everyone), "the morning ended before the kills"
            # Restarted with the same shards: the dead processes' leases are theirs at once
            # (same host, pid gone); what was in flight goes out again with its nonce.
            restarted = [
                await start_fleet_process(env, "0", COUNT),
                await start_fleet_process(env, "1", COUNT),
            ]
            await until(lambda: all(c.messages for c in everyone), "every post", LEASE + 90)
            await fake.settle(quiet=1.0)
        finally:
            logs = [await sigterm(p) for p in restarted if p.returncode is None]
        for _, log in logs:
            assert "Traceback" not in log, log
        counts = [len(c.messages) for c in everyone]
        assert counts == [1] * len(everyone), counts  # 0 duplicates, 0 missed
        assert fake.count_429 == 0
