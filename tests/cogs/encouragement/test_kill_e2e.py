"""kill -9 of the real bot process (`python -m bot`) after Discord stored an Encourage post and
before the member heard about it: the member, who saw the interaction fail, sends the same words
again after the restart, and the thread has them once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakecord import FakeDiscord
from tests.helpers.process import until
from tests.helpers.story_process import process_world, share_with_thread, story_bot

pytestmark = pytest.mark.slow  # starts the bot as a child process

WORDS = "You will find your place. Rooting for you."


def kind_words(thread: Any) -> list[dict[str, Any]]:
    return [m for m in thread.messages if WORDS in m["content"]]


async def open_encourage(fake: FakeDiscord, member: Any, post: dict[str, Any]) -> Any:
    live = fake.message(post["id"])
    assert live is not None
    opened = await fake.click(member, live, label="Encourage")
    assert opened.modal is not None
    return opened


async def encourage(fake: FakeDiscord, member: Any, stories: Any, post: dict[str, Any]) -> Any:
    opened = await open_encourage(fake, member, post)
    return await fake.start_modal(member, stories, opened, {"Your message": WORDS})


async def test_kill_9_between_the_stored_post_and_the_answer_posts_once(tmp_path: Path) -> None:
    async with FakeDiscord(patch=False) as fake:
        w = process_world(fake)
        bob, stories = w.bob, w.stories
        bot = story_bot(fake, tmp_path)
        await bot.start()
        try:
            post, thread = await share_with_thread(w, bot)

            # Discord answers slowly: the post is stored, the answer has not arrived yet. (The
            # form is opened before Discord slows down, so only the sending waits.)
            opened = await open_encourage(fake, bob, post)
            fake.latency = 4.0
            await fake.start_modal(bob, stories, opened, {"Your message": WORDS})
            await until(lambda: kind_words(thread), "the stored post", timeout=20)
            await bot.kill()
            fake.latency = 0.0

            await bot.start()
            await bot.ready()
            again = await encourage(fake, bob, stories, post)
            await fake.answered(again)
            await again.wait_for_followups(count=1, timeout=15)
            await fake.settle()
            assert len(kind_words(thread)) == 1, [m["content"] for m in thread.messages]
            assert "Thank you" in (again.followups[-1]["content"] or "")
        finally:
            await bot.stop()
