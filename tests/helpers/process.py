"""The real `python -m bot` as a child process on the local Discord, and a morning to serve.

The emulator runs in the test's process; the bot is a child pointed at it. `seed_morning` writes
the servers' schedules straight into the bot's database (as a few hundred `/affirmations setup`
would have left them), due at the current minute of the real clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.db import Store
from bot.feature_migrations import migrate_every_feature
from fakecord import FakeChannel, FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
TEST_SECRET = "process-test-secret-" + "0" * 44


async def seed_morning(fake: FakeDiscord, data_dir: Path, servers: int) -> list[FakeChannel]:
    """`servers` servers with a schedule due now (this UTC minute, every day)."""
    channels = [
        fake.create_guild(f"Circle {n}").create_text_channel("affirmations") for n in range(servers)
    ]
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    rule = json.dumps({"days": 127, "time": now.strftime("%H:%M"), "tz": "UTC"}, sort_keys=True)
    stamp = int(now.timestamp())
    async with await Store.open(data_dir / "rebound.db") as store:
        await migrate_every_feature(store)
        async with store.transaction() as conn:
            for channel in channels:
                await conn.execute(
                    "INSERT INTO affirmation_schedules (guild_id, channel_id, post_time, timezone, "
                    "days_mask, created_at, updated_at) VALUES (?, ?, ?, 'UTC', 127, ?, ?)",
                    (channel.guild.id, channel.id, now.strftime("%H:%M"), stamp, stamp),
                )
                await conn.execute(
                    "INSERT INTO scheduled_jobs (kind, key, rule, next_run_at, occurrence) "
                    "VALUES ('affirmations.guild', ?, ?, ?, ?)",
                    (str(channel.guild.id), rule, stamp, now.date().isoformat()),
                )
    return channels


def bot_env(fake: FakeDiscord, data_dir: Path) -> dict[str, str]:
    """The child's environment: the emulator's addresses and token, its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        REBOUND_DISCORD_API_BASE=fake.api_base,
        REBOUND_DISCORD_GATEWAY=fake.gateway_url,
        REBOUND_DATA_DIR=str(data_dir),
        REBOUND_ENV_FILE=str(data_dir / "no.env"),
        REBOUND_SECRET_KEY=TEST_SECRET,
        REBOUND_POST_RATE="50",
        REBOUND_GUILD_READY_TIMEOUT="0.1",
    )
    return env


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def posted(channels: list[FakeChannel]) -> int:
    return sum(len(c.messages) for c in channels)


async def wait_for(predicate: Any, timeout: float) -> None:  # noqa: ASYNC109
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("the bot did not get there in time")
        await asyncio.sleep(0.01)


async def sigterm(child: asyncio.subprocess.Process) -> tuple[float, str]:
    """SIGTERM; (seconds until it exited, its log)."""
    started = time.monotonic()
    child.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(child.communicate(), timeout=30)
    return time.monotonic() - started, err.decode()


async def until(check: Any, what: str, timeout: float = 30.0) -> Any:  # noqa: ASYNC109
    """What `check()` returns once it is truthy; fails the test after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
