"""The bot process under an operator's hands: SIGTERM mid-traffic, a second start, a restore
attempt while it runs. `python -m bot` runs as a child process on the local Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from fakecord import FakeDiscord
from tests.helpers.cli import make_rebound_db, run_cli

ROOT = Path(__file__).resolve().parents[2]


def bot_env(fake: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        REBOUND_DISCORD_API_BASE=fake.api_base,
        REBOUND_DISCORD_GATEWAY=fake.gateway_url,
        REBOUND_DATA_DIR=str(tmp_path / "state"),
        REBOUND_ENV_FILE=str(tmp_path / "no.env"),
    )
    return env


async def start_bot(fake: FakeDiscord, tmp_path: Path) -> asyncio.subprocess.Process:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=bot_env(fake, tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    await fake.wait_for_identify(timeout=30)
    for _ in range(400):  # commands are synced in setup_hook, before READY
        if fake.commands():
            break
        await asyncio.sleep(0.05)
    return child


@pytest.mark.slow
async def test_sigterm_mid_traffic_exits_0_and_keeps_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False, allow_rejections=True) as fake:
        guild = fake.create_guild("Career Circle")
        channel = guild.create_text_channel("general")
        members = [guild.add_member(f"member{i}") for i in range(12)]
        child = await start_bot(fake, tmp_path)
        try:
            first = await fake.invoke(
                members[0], channel, "affirmations dm on", time="07:00", timezone="UTC"
            )
            assert "You’re set" in (first.content or "")

            # A second bot on the same data folder refuses to start.
            second = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=ROOT, env=bot_env(fake, tmp_path),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, second_err = await asyncio.wait_for(second.communicate(), timeout=60)
            assert second.returncode == 2
            assert "already running" in second_err.decode()

            # restore refuses while the bot runs, and changes nothing.
            backup = tmp_path / "old.db"
            make_rebound_db(backup)
            refused = await asyncio.to_thread(run_cli, tmp_path, "restore", str(backup))
            assert refused.returncode == 1 and "is running" in refused.stderr

            async def subscribe(member: Any, minute: int) -> Any:
                return await fake.invoke(
                    member, channel, "affirmations dm on", time=f"08:{minute:02d}", timezone="UTC"
                )

            in_flight = [
                asyncio.create_task(subscribe(m, i)) for i, m in enumerate(members[1:], start=1)
            ]
            await asyncio.sleep(0.03)  # SIGTERM while they are on their way
        finally:
            child.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(child.communicate(), timeout=30)
        results = await asyncio.gather(*in_flight, return_exceptions=True)

    log = err.decode()
    assert child.returncode == 0, log
    assert "Traceback" not in log, log
    acknowledged = {members[0].id} | {
        m.id
        for m, r in zip(members[1:], results, strict=True)
        if not isinstance(r, BaseException) and "You’re set" in (r.content or "")
    }
    assert len(acknowledged) >= 1
    conn = sqlite3.connect(tmp_path / "state" / "rebound.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT user_id FROM affirmation_dm_subscriptions")}
    finally:
        conn.close()
    assert acknowledged <= stored
    # The lock went with the process: a restore works now.
    restored = run_cli(tmp_path, "restore", str(tmp_path / "old.db"))
    assert restored.returncode == 0, restored.stderr


def test_a_stop_waits_for_every_kind_of_interaction_discord_py_dispatches() -> None:
    """discord.py names the task of each interaction it hands to us; a graceful stop waits for
    the ones named in IN_FLIGHT_TASKS. A persistent button's click (a DynamicItem) was missing,
    so a click in progress at SIGTERM was cut off."""
    import re

    import discord

    from bot.app import IN_FLIGHT_TASKS

    ui = Path(discord.__file__).parent / "ui"
    names = {
        match
        for source in ui.glob("*.py")
        for match in re.findall(r"name=f'(discord-ui-[a-z-]+?)-\{", source.read_text("utf-8"))
    }
    dispatching = {name for name in names if "timeout" not in name}
    assert "discord-ui-dynamic-item" in dispatching
    for name in dispatching:
        assert name.startswith(IN_FLIGHT_TASKS) or f"{name}-".startswith(IN_FLIGHT_TASKS), name
