"""Faults on the real process (`python -m bot`) for what Discord gives no nonce for: kill -9 between
a story's post and its thread, a restart later than Discord's nonce window, SIGTERM while the
start-up sweep sends. Each ends with exactly one of each thing."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import discord
import pytest

from benchmarks.harness import BotProcess, read_db
from fakecord import FakeDiscord
from tests.helpers.encouragement import encourage_post
from tests.helpers.process import until
from tests.helpers.stories import StoryWorld, configure, posts, share

pytestmark = pytest.mark.slow  # starts the bot as a child process

FROM_MESSAGE = "/channels/{channel_id}/messages/{message_id}/threads"


def world(fake: FakeDiscord) -> StoryWorld:
    guild = fake.create_guild("Career Circle")
    general = guild.create_text_channel("general")
    stories = guild.create_text_channel("stories")
    mods = guild.create_text_channel("mod-queue")
    alice = guild.add_member("alice")
    bob = guild.add_member("bob")
    perms = discord.Permissions(manage_guild=True, manage_messages=True).value
    mod = guild.add_member("kim-the-mod", permissions=perms)
    return StoryWorld(fake, guild, general, stories, mods, mod, alice, bob)


async def started(bot: BotProcess) -> None:
    await bot.start()
    await bot.connected()
    await bot.commands_synced()


def runs(bot: BotProcess, kind: str) -> list[str]:
    return [
        r[0] for r in read_db(bot.db_path, "SELECT status FROM job_runs WHERE kind = ?", (kind,))
    ]


def thread_rows(bot: BotProcess) -> list[tuple[Any, ...]]:
    return read_db(bot.db_path, "SELECT message_id, thread_id FROM encouragement_stories")


@pytest.mark.parametrize("after_store", [True, False], ids=["made", "not-made"])
async def test_kill_9_between_a_story_and_its_thread_gives_one_thread_that_works(
    tmp_path: Path, after_store: bool
) -> None:
    async with FakeDiscord(patch=False) as fake:
        w = world(fake)
        bot = BotProcess(fake, tmp_path / "state", REBOUND_GUILD_READY_TIMEOUT="0.1")
        await started(bot)
        try:
            await configure(w)
            held = fake.hold_next("POST", FROM_MESSAGE, after_store=after_store)
            await share(w, w.alice)
            await asyncio.wait_for(held.arrived.wait(), timeout=20)
            await bot.kill()  # the story is posted and recorded; its thread is in flight
            held.release()
            (post,) = posts(w.stories)
            await started(bot)
            await until(lambda: bool(thread_rows(bot)) and thread_rows(bot)[0][1], "the thread")
            assert [t.id for t in w.stories.threads] == [int(post["id"])]
            assert thread_rows(bot) == [(int(post["id"]), int(post["id"]))]
            assert runs(bot, "encouragement.story_thread") == ["done"]
            thread = w.stories.threads[0]
            done = await encourage_post(w, w.bob, post, "You are not alone.", anonymous=True)
            assert done.ephemeral
            assert thread.messages[-1]["content"].endswith("You are not alone.")
        finally:
            await bot.stop()


async def test_a_restart_past_the_nonce_window_does_not_post_a_story_twice(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(patch=False) as fake:
        fake.nonce_window = 1.0
        w = world(fake)
        bot = BotProcess(
            fake,
            tmp_path / "state",
            REBOUND_NONCE_WINDOW_SECONDS="1",
            REBOUND_GUILD_READY_TIMEOUT="0.1",
        )
        await started(bot)
        try:
            await configure(w)
            held = fake.hold_next("POST", f"/channels/{w.stories.id}/messages", after_store=True)
            await share(w, w.alice)
            await asyncio.wait_for(held.arrived.wait(), timeout=20)
            await bot.kill()  # Discord stored the story; the bot never heard
            held.release()
            await asyncio.sleep(1.5)  # longer than both nonce windows
            await started(bot)
            await bot.ready()
            await until(
                lambda: not {"claimed", "pending"} & set(runs(bot, "stories.post")), "the verdict"
            )
            await fake.settle()
            (post,) = posts(w.stories)
            # Past the nonce window a re-send could double it: the run, sent again at any age
            # (resumable), finds the post Discord stored among the channel's messages first.
            assert runs(bot, "stories.post") == ["done"]
            recorded = read_db(bot.db_path, "SELECT status, message_id FROM stories")
            assert recorded == [("posted", int(post["id"]))]
        finally:
            await bot.stop()


async def test_sigterm_while_the_start_up_sweep_sends_drains_it(tmp_path: Path) -> None:
    async with FakeDiscord(patch=False) as fake:
        w = world(fake)
        bot = BotProcess(fake, tmp_path / "state", REBOUND_GUILD_READY_TIMEOUT="0.1")
        await started(bot)
        try:
            await configure(w)
            path = f"/channels/{w.stories.id}/messages"
            first = fake.hold_next("POST", path)
            await share(w, w.alice)
            await asyncio.wait_for(first.arrived.wait(), timeout=20)
            await bot.kill()  # the post's run is left claimed: the next start sends it
            # ... after looking for the post an earlier attempt may have made (none here)
            again = fake.hold_next("GET", path)
            first.release()
            await bot.start()
            await asyncio.wait_for(again.arrived.wait(), timeout=30)
            assert bot.proc is not None
            bot.proc.send_signal(signal.SIGTERM)  # a deploy, while the sweep is sending
            await asyncio.sleep(0.5)
            again.release()  # Discord answers within the drain time
            code = await asyncio.wait_for(bot.proc.wait(), timeout=30)
            assert code == 0, bot.log_text()[-2000:]
            assert runs(bot, "stories.post") == ["done"]  # drained, not cancelled
            assert len(posts(w.stories)) == 1
            await started(bot)  # the thread's job, left due by the stop, runs now
            await until(lambda: runs(bot, "encouragement.story_thread") == ["done"], "thread")
            assert len(posts(w.stories)) == 1 and len(w.stories.threads) == 1
        finally:
            await bot.stop()
