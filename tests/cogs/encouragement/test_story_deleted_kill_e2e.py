"""kill -9 of the real bot process (`python -m bot`) after a story's deletion reached Discord
and before encouragement recorded its cleanup: after the restart, the story's thread record,
kind words and me-toos are gone all the same (the cleanup is a durable job, not an event lost
with the process)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import BotProcess, read_db
from fakecord import FakeDiscord
from tests.helpers.process import until
from tests.helpers.story_process import process_world, share_with_thread, story_bot

pytestmark = pytest.mark.slow  # starts the bot as a child process

TABLES = ("encouragement_stories", "encouragements", "encouragement_me_too")


def rows(bot: BotProcess) -> dict[str, int]:
    counts = {t: int(read_db(bot.db_path, f"SELECT COUNT(*) FROM {t}")[0][0]) for t in TABLES}
    return {t: n for t, n in counts.items() if n}


async def test_kill_9_between_the_deletion_and_its_cleanup_loses_nothing(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False) as fake:
        w = process_world(fake)
        guild, general, stories, alice, bob = w.guild, w.general, w.stories, w.alice, w.bob
        bot = story_bot(fake, tmp_path)
        await bot.start()
        click: asyncio.Task[Any] | None = None
        try:
            post, thread = await share_with_thread(w, bot)
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
