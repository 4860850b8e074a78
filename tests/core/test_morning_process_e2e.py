"""The busy morning in the real `python -m bot` process: killed with SIGKILL at random points
and restarted, and stopped with SIGTERM in the middle. Every server posted exactly once."""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from tests.fakecord import FakeDiscord
from tests.helpers.process import bot_env, posted, seed_morning, sigterm, start_bot, wait_for

pytestmark = pytest.mark.slow


async def test_kill_9_at_random_points_of_the_morning_posts_every_server_exactly_once(
    tmp_path: Path,
) -> None:
    servers = 200
    async with FakeDiscord(patch=False) as fake:
        channels = await seed_morning(fake, tmp_path, servers)
        env = bot_env(fake, tmp_path)
        rng = random.Random()
        kill_points = sorted(rng.sample(range(5, servers - 20), 3))
        for point in kill_points:
            child = await start_bot(env)
            try:
                await wait_for(lambda p=point: posted(channels) >= p, timeout=60)
            finally:
                child.kill()
                await child.communicate()
            assert child.returncode == -signal.SIGKILL
        child = await start_bot(env)
        try:
            await wait_for(lambda: all(c.messages for c in channels), timeout=60)
            await fake.settle(quiet=0.3)
        finally:
            _, log = await sigterm(child)
        assert child.returncode == 0, log
        counts = [len(c.messages) for c in channels]
        assert counts == [1] * servers, f"kill points {kill_points}: {counts}"


async def test_sigterm_in_the_morning_exits_0_quickly_and_nothing_is_doubled_or_lost(
    tmp_path: Path,
) -> None:
    servers = 200
    async with FakeDiscord(patch=False) as fake:
        fake.latency, fake.jitter = 0.05, 0.02
        channels = await seed_morning(fake, tmp_path, servers)
        env = bot_env(fake, tmp_path)
        child = await start_bot(env)
        try:
            await wait_for(lambda: posted(channels) >= 40, timeout=60)
        finally:
            took, log = await sigterm(child)
        assert child.returncode == 0, log
        assert took < 5.0
        assert " ERROR " not in log and "Traceback" not in log and "CRITICAL" not in log
        assert posted(channels) < servers  # it really stopped in the middle
        child = await start_bot(env)
        try:
            await wait_for(lambda: all(c.messages for c in channels), timeout=60)
            await fake.settle(quiet=0.3)
        finally:
            _, log = await sigterm(child)
        assert child.returncode == 0, log
        assert [len(c.messages) for c in channels] == [1] * servers
