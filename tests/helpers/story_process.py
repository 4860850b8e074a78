"""A story shared through the real `python -m bot` process, with its thread opened: the start
of the kill -9 tests around kind words and a story's deletion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from benchmarks.harness import BotProcess
from cogs.stories import messages as stories_msg
from fakecord import FakeDiscord
from tests.helpers.process import until


@dataclass
class ProcessWorld:
    fake: FakeDiscord
    guild: Any
    general: Any
    stories: Any
    mod: Any
    alice: Any
    bob: Any


def process_world(fake: FakeDiscord) -> ProcessWorld:
    guild = fake.create_guild("Career Circle")
    return ProcessWorld(
        fake=fake,
        guild=guild,
        general=guild.create_text_channel("general"),
        stories=guild.create_text_channel("stories"),
        mod=guild.add_member(
            "kim-the-mod", permissions=discord.Permissions(manage_guild=True).value
        ),
        alice=guild.add_member("alice"),
        bob=guild.add_member("bob"),
    )


def story_bot(fake: FakeDiscord, tmp_path: Path) -> BotProcess:
    return BotProcess(fake, tmp_path, REBOUND_TICK_SECONDS="1", REBOUND_GUILD_READY_TIMEOUT="0.1")


async def share_with_thread(w: ProcessWorld, bot: BotProcess) -> tuple[dict[str, Any], Any]:
    """Once the bot is up: stories set up with no delay, Alice shares; (post, its thread)."""
    await bot.ready()
    await bot.commands_synced()
    saved = await w.fake.invoke(
        w.mod, w.general, "stories settings", channel=w.stories, max_delay=0
    )
    assert stories_msg.SETTINGS_SAVED in (saved.content or "")
    opened = await w.fake.invoke(w.alice, w.general, "share")
    await w.fake.submit_modal(
        w.alice,
        w.general,
        opened,
        {
            stories_msg.FIELD_STORY: "Final round, then a template email. Still stings.",
            stories_msg.FIELD_STAGE: ["final_round"],
        },
    )
    post = await until(
        lambda: next((m for m in w.stories.messages if m.get("embeds")), None), "the story"
    )
    thread = await until(lambda: w.guild.get_channel(int(post["id"])), "its thread")
    return post, thread
