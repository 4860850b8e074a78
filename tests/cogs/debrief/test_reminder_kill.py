"""kill -9 of the bot process (`python -m bot`) at a feedback reminder's due time.

The reminder's DM reaches Discord and the bot dies before it hears back. The restart sends it
again with the run's nonce, and Discord answers with the first message: one DM, none missed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import BotProcess, read_db
from cogs.debrief import messages as m
from fakecord import FakeDiscord
from tests.helpers.debrief import write_debrief

pytestmark = pytest.mark.slow  # starts the bot as a child process

# Every answer of the local Discord waits this long (the work is done on arrival): the window
# in which the DM exists on Discord and the bot has not heard so.
ANSWER_DELAY = 1.0


async def _wait_for(condition: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _reminder_dms(fake: FakeDiscord, member: Any) -> list[dict[str, Any]]:
    return [d for d in fake.dm_messages(member) if "gentle check-in" in (d.get("content") or "")]


async def test_kill_9_at_the_reminders_due_time_sends_exactly_one_dm(tmp_path: Path) -> None:
    async with FakeDiscord(patch=False) as fake:
        guild = fake.create_guild("Career Circle")
        general = guild.create_text_channel("general")
        alice = guild.add_member("alice")
        bot = BotProcess(fake, tmp_path, REBOUND_GUILD_READY_TIMEOUT="0.1")
        with fake.expect_rejections():
            await bot.start()
            await bot.connected()
            await bot.commands_synced()
            await bot.ready()
            saved = await write_debrief(fake, alice, general)
            form = await fake.click(alice, saved.message, label=m.BUTTON_REMIND)
            await fake.submit_modal(alice, general, form.modal, {"days": ["3"]})
            assert await bot.stop() == 0

            # The reminder is due when the bot comes back.
            now = int(time.time())
            conn = sqlite3.connect(bot.db_path)
            with conn:
                conn.execute(
                    "UPDATE scheduled_jobs SET next_run_at = ?, rule = ? "
                    "WHERE kind = 'debrief.reminder'",
                    (now, json.dumps({"attempt": 1, "due": now}, sort_keys=True)),
                )
            conn.close()
            fake.latency = ANSWER_DELAY
            seen = len(fake.requests)
            await bot.start()
            await _wait_for(
                lambda: any(
                    r.method == "POST" and r.path.endswith("/messages")
                    for r in fake.requests[seen:]
                ),
                60,
                "the reminder DM's send",
            )
            await bot.kill()  # the DM is on Discord; the bot never heard back
            assert len(_reminder_dms(fake, alice)) == 1

            fake.latency = 0.0
            await bot.start()
            await bot.connected()
            await _wait_for(
                lambda: read_db(
                    bot.db_path,
                    "SELECT 1 FROM job_runs WHERE kind = 'debrief.reminder' AND status = 'done'",
                ),
                30,
                "the reminder's run to be recorded",
            )
            await fake.settle(quiet=0.5)
            assert await bot.stop() == 0

        (dm,) = _reminder_dms(fake, alice)  # exactly one: none doubled, none missed
        assert fake.nonce_hits >= 1  # the restart re-sent it and Discord gave back the first
        labels = [c["label"] for row in dm["components"] for c in row["components"]]
        assert labels == [m.BUTTON_HEARD, m.BUTTON_NO_ANSWER, m.BUTTON_STOP]
        assert read_db(bot.db_path, "SELECT status FROM debrief_reminders") == [("sent",)]
