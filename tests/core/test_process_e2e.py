"""`python -m bot` as its own process, exactly as `make run` starts it, on the local Discord.

The emulator runs in this test; the bot runs in a child process pointed at it with
REBOUND_DISCORD_API_BASE / REBOUND_DISCORD_GATEWAY. Nothing is patched in the child.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from bot.anonymity import key_check
from fakecord import FakeDiscord

pytestmark = pytest.mark.slow  # starts the bot as a child process

ROOT = Path(__file__).resolve().parents[2]


async def test_the_bot_process_starts_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async with FakeDiscord(patch=False, validate_responses=True) as fake:
        guild = fake.create_guild("Career Circle")
        channel = guild.create_text_channel("general")
        member = guild.add_member("alice")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
        env.update(
            DISCORD_TOKEN=fake.token,
            REBOUND_DISCORD_API_BASE=fake.api_base,
            REBOUND_DISCORD_GATEWAY=fake.gateway_url,
            REBOUND_DATA_DIR=str(tmp_path / "state"),
            REBOUND_ENV_FILE=str(tmp_path / "no.env"),
        )
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await fake.wait_for_identify(timeout=30)
            for _ in range(300):  # commands are synced in setup_hook, before READY
                if fake.commands():
                    break
                await asyncio.sleep(0.05)
            result = await fake.invoke(member, channel, "about")
            assert result.ephemeral
            assert result.content and result.content.startswith("Rebound ")
        finally:
            child.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(child.communicate(), timeout=30)
        log = err.decode()
        assert child.returncode == 0, log
        assert "Traceback" not in log
        # Rebound never joins voice: no start-up warnings about voice libraries it does not use.
        assert "voice" not in log.lower() and "PyNaCl" not in log and "davey" not in log
        assert fake.token not in log + out.decode()
        assert str(member.id) not in log
        assert "new secret key was created" in log
        state = tmp_path / "state"
        # The key lives beside the data folder, never in it (one copy must not hold both).
        key = tmp_path / "state-key" / "secret.key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
        assert not (state / "secret.key").exists()
        assert key.read_text().strip() not in log
        # The database records which key it was made with, as a check that reveals nothing.
        db = sqlite3.connect(state / "rebound.db")
        recorded = db.execute("SELECT value FROM meta WHERE key = 'secret_key_check'").fetchone()
        db.close()
        assert recorded == (key_check(key.read_text().strip().encode()),)
        # The database holds pseudonyms and sealed ids: private folder, private files.
        assert stat.S_IMODE(state.stat().st_mode) == 0o700
        db_files = [p for p in state.iterdir() if p.name.startswith("rebound.db")]
        assert any(p.name == "rebound.db" for p in db_files)
        for path in db_files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


async def test_a_token_discord_rejects_creates_nothing(tmp_path: Path) -> None:
    async with FakeDiscord(patch=False) as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
        env.update(
            DISCORD_TOKEN="not-the-right-token",
            REBOUND_DISCORD_API_BASE=fake.api_base,
            REBOUND_DISCORD_GATEWAY=fake.gateway_url,
            REBOUND_DATA_DIR=str(tmp_path / "state"),
            REBOUND_ENV_FILE=str(tmp_path / "no.env"),
        )
        with fake.expect_rejections():
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=ROOT, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await asyncio.wait_for(child.communicate(), timeout=60)
    assert child.returncode == 2
    assert "rejected the token" in err.decode()
    assert "Nothing was created or changed" in err.decode()
    assert not (tmp_path / "state").exists()
