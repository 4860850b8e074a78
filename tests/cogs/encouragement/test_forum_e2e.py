"""Stories in a forum channel: the post is the thread; its tags stay; kind words land in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cogs.encouragement.helpers import (
    button,
    encourage,
    encourage_id,
    me_too_id,
    post_story_directly,
)
from tests.harness import running_bot


async def test_forum_story_keeps_its_tags_and_gets_encouragement(
    world: Any, tmp_path: Path
) -> None:
    fake = world.fake
    forum = world.guild.create_forum_channel("stories", tags=["Onsite", "Final round"])
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(
            app, forum, story_id=9, label="Story #9", tags=[forum.tag("Onsite")]
        )
        thread = world.guild.get_channel(int(post["channel_id"]))
        assert thread.parent is forum and thread.applied_tags == [forum.tag("Onsite").id]
        assert thread.auto_archive_duration == 10080
        assert [t.name for t in forum.threads] == ["Story #9 · Onsite"]  # no second thread
        assert button(fake.message(post["id"]), encourage_id(9))

        result = await encourage(
            fake, world.guild, world.alice, post, 9, "Sending strength.", anonymous=True
        )
        assert result.ephemeral
        assert thread.messages[-1]["content"].endswith("Sending strength.")
        assert "a member" in thread.messages[-1]["content"]
        assert thread.applied_tags == [forum.tag("Onsite").id]


async def test_me_too_on_a_forum_post_updates_its_starter_message(
    world: Any, tmp_path: Path
) -> None:
    fake = world.fake
    forum = world.guild.create_forum_channel("stories", tags=["Onsite"])
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, forum, story_id=4, label="Story #4")
        await fake.click(world.alice, fake.message(post["id"]), custom_id=me_too_id(4))
        assert button(fake.message(post["id"]), me_too_id(4))["label"] == "Me too · 1"
