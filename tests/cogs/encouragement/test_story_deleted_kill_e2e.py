"""kill -9 of the real bot process (`python -m bot`) after a story's deletion reached Discord
and before encouragement recorded its cleanup: after the restart, the story's thread record,
kind words and me-toos are gone all the same (the cleanup is a durable job, not an event lost
with the process)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest

from benchmarks.harness import BotProcess, read_db
from cogs.stories import messages as stories_msg
from fakecord import FakeDiscord

pytestmark = pytest.mark.slow  # starts the bot as a child process

TABLES = ("encouragement_stories", "encouragements", "encouragement_me_too")


async def until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:  # noqa: ASYNC109
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def rows(bot: BotProcess) -> dict[str, int]:
    counts = {t: int(read_db(bot.db_path, f"SELECT COUNT(*) FROM {t}")[0][0]) for t in TABLES}
    return {t: n for t, n in counts.items() if n}


async def test_kill_9_between_the_deletion_and_its_cleanup_loses_nothing(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False) as fake:
        guild = fake.create_guild("Career Circle")
        general = guild.create_text_channel("general")
        stories = guild.create_text_channel("stories")
        mod = guild.add_member(
            "kim-the-mod", permissions=discord.Permissions(manage_guild=True).value
        )
        alice = guild.add_member("alice")
        bob = guild.add_member("bob")
        bot = BotProcess(
            fake, tmp_path, REBOUND_TICK_SECONDS="1", REBOUND_GUILD_READY_TIMEOUT="0.1"
        )
        await bot.start()
        click: asyncio.Task[Any] | None = None
        try:
            await bot.ready()
            await bot.commands_synced()
            saved = await fake.invoke(
                mod, general, "stories settings", channel=stories, max_delay=0
            )
            assert stories_msg.SETTINGS_SAVED in (saved.content or "")
            opened = await fake.invoke(alice, general, "share")
            await fake.submit_modal(
                alice,
                general,
                opened,
                {
                    stories_msg.FIELD_STORY: "Final round, then a template email. Still stings.",
                    stories_msg.FIELD_STAGE: ["final_round"],
                },
            )
            post = await until(
                lambda: next((m for m in stories.messages if m.get("embeds")), None), "the story"
            )
            thread = await until(lambda: guild.get_channel(int(post["id"])), "its thread")
            live = fake.message(post["id"])
            assert live is not None
            words = await fake.click(bob, live, label="Encourage")
            assert words.modal is not None
            await fake.submit_modal(
                bob, stories, words, {"Your message": "You are not alone in this."}
            )
            await fake.click(bob, live, label="Me too")
            await until(lambda: len(rows(bot)) == len(TABLES), "kind words and a me-too")

            # The thread's deletion is done on Discord, its answer (and so the record of the
            # cleanup) has not arrived when the process dies; the story's row is gone by then.
            mine = await fake.invoke(alice, general, "mystories")
            assert mine.message is not None
            hold = fake.hold_next("DELETE", "/channels/{channel_id}", after_store=True)
            click = asyncio.create_task(fake.click(alice, mine.message, label="Delete 1"))
            await asyncio.wait_for(hold.arrived.wait(), 30)
            await until(
                lambda: read_db(bot.db_path, "SELECT COUNT(*) FROM stories")[0][0] == 0,
                "the story's row deleted",
            )
            assert thread.deleted or guild.get_channel(thread.id) is None
            await bot.kill()
            hold.release()
            click.cancel()
            assert rows(bot)  # the cleanup had not finished

            await bot.start()
            await bot.ready()
            await until(lambda: not rows(bot), "the cleanup after the restart")
        finally:
            if click is not None:
                click.cancel()
            await bot.stop()
