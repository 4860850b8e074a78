"""kill -9 of the bot process (`python -m bot`) while it makes a member's private check-in thread.

Discord takes no nonce for a thread. Before, a crash after the create reached Discord left that
thread empty and the restart made a second one (4 of 4 kills). Now the restart finds the
thread by its marker and posts the prompt in it: one thread, one prompt, nothing orphaned.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import BotProcess, read_db
from fakecord import FakeDiscord

pytestmark = pytest.mark.slow  # starts the bot as a child process

# Every answer of the local Discord waits this long (the work is done on arrival): the window
# in which the thread exists on Discord and the bot has not heard so.
ANSWER_DELAY = 1.0


async def _wait_for(condition: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def test_kill_9_while_the_private_thread_is_made_leaves_one_thread_with_its_prompt(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False) as fake:
        guild = fake.create_guild("Career Circle")
        general = guild.create_text_channel("general")
        room = guild.create_text_channel("accountability")
        alice = guild.add_member("alice")
        bot = BotProcess(fake, tmp_path, REBOUND_GUILD_READY_TIMEOUT="0.1")
        with fake.expect_rejections():
            await bot.start()
            await bot.connected()
            await bot.commands_synced()
            await bot.ready()
            await fake.invoke(guild.owner, general, "accountability channel", channel=room)
            await fake.invoke(alice, general, "accountability join", day=0, time="09:00")
            assert await bot.stop() == 0

            # The week's prompt is due when the bot comes back; Alice's DMs are closed.
            conn = sqlite3.connect(bot.db_path)
            with conn:
                conn.execute(
                    "UPDATE scheduled_jobs SET next_run_at = ? "
                    "WHERE kind = 'accountability.weekly'",
                    (int(time.time()),),
                )
            conn.close()
            fake.close_dms(alice)
            fake.latency = ANSWER_DELAY
            create = f"/channels/{room.id}/threads"
            seen = len(fake.requests)
            await bot.start()
            await _wait_for(
                lambda: any(r.method == "POST" and r.path == create for r in fake.requests[seen:]),
                60,
                "the thread's create",
            )
            await bot.kill()  # the thread exists on Discord; the bot never heard back
            threads = [t for t in room.threads if t.type == 12]
            assert len(threads) == 1 and threads[0].messages == []

            fake.latency = 0.0
            await bot.start()
            await bot.connected()
            await _wait_for(lambda: threads[0].messages, 30, "the prompt in the thread")
            await _wait_for(
                lambda: read_db(
                    bot.db_path,
                    "SELECT 1 FROM job_runs WHERE kind = 'accountability.thread' "
                    "AND status = 'done'",
                ),
                30,
                "the thread's run to be recorded",
            )
            await fake.settle(quiet=0.5)
            assert await bot.stop() == 0

        threads = [t for t in room.threads if t.type == 12]
        assert len(threads) == 1, [t.name for t in threads]
        (thread,) = threads
        assert len(thread.messages) == 1
        assert "Start check-in" in str(thread.messages[0]["components"])
        assert alice.id in thread.member_ids
        assert "alice" not in thread.name and str(alice.id) not in thread.name
