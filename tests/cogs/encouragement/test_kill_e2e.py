"""kill -9 of the real bot process (`python -m bot`) after Discord stored an Encourage post and
before the member heard about it: the member, who saw the interaction fail, sends the same words
again after the restart, and the thread has them once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest

from benchmarks.harness import BotProcess
from cogs.stories import messages as stories_msg
from fakecord import FakeDiscord

pytestmark = pytest.mark.slow  # starts the bot as a child process

WORDS = "You will find your place. Rooting for you."


async def until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:  # noqa: ASYNC109
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


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
