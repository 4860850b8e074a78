"""kill -9 of the real bot process between storing a story and answering the member: the member saw
"interaction failed", so the story is not posted unseen; their next /share offers it back, and
posting it posts it once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import BotProcess, read_db
from cogs.stories import messages as msg
from fakecord import FakeDiscord
from tests.helpers.stories import STORY, posts

pytestmark = pytest.mark.slow  # starts the bot as a child process

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def _until(condition: Any, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > end:
            raise TimeoutError("the condition never held")
        await asyncio.sleep(0.05)


async def test_kill_9_before_the_thank_you_keeps_the_story_back_and_posts_it_once(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False) as fake:
        guild = fake.create_guild("Career Circle")
        general = guild.create_text_channel("general")
        stories = guild.create_text_channel("stories")
        alice = guild.add_member("alice")
        bot = BotProcess(fake, tmp_path / "state", REBOUND_GUILD_READY_TIMEOUT="0.1")
        await bot.start()
        try:
            await bot.ready()
            await bot.commands_synced()
            shown = await fake.invoke(
                guild.owner, general, "stories settings", channel=stories, max_delay=0
            )
            assert msg.SETTINGS_SAVED in (shown.content or "")
            opened = await fake.invoke(alice, general, "share")
            assert opened.modal is not None
            # The thank-you is held up on its way (Discord asks the bot to wait and retry), so
            # it has not reached Discord when the process dies: the member sees a failure.
            held = fake.fail_next("POST", CALLBACK, status=429, retry_after=30.0)
            submitted = await fake.start_modal(
                alice, general, opened, {msg.FIELD_STORY: STORY, msg.FIELD_STAGE: ["onsite"]}
            )
            await _until(lambda: held.used == 1)
            # stored before the answer, as it must be
            assert read_db(bot.db_path, "SELECT COUNT(*) FROM stories") == [(1,)]
            await bot.kill()
            await fake.answered(submitted)
            assert submitted.missed_deadline  # "interaction failed" is what the member saw

            await bot.start()
            await bot.ready()
            await asyncio.sleep(2.0)  # max_delay 0: a wrong post would be out by now
            assert posts(stories) == []
            offer = await fake.invoke(alice, general, "share")
            assert offer.modal is None and "wasn’t confirmed" in (offer.content or "")
            assert offer.message is not None
            posted = await fake.click(alice, offer.message, label=msg.POST_IT)
            assert msg.ACK_FOOTER in (posted.content or ""), posted.content
            await _until(lambda: len(posts(stories)) == 1)
            await asyncio.sleep(1.0)
            assert len(posts(stories)) == 1
            assert read_db(bot.db_path, "SELECT status, ack_state FROM stories") == [
                ("posted", None)
            ]
        finally:
            await bot.stop()
