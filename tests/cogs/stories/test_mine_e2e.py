"""/mystories: a member's own stories, privately, each with a delete button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import running_bot
from tests.helpers.stories import (
    configure,
    longest_delays,
    posts,
    share,
    share_and_post,
    story_world,
)


async def test_mystories_lists_only_my_stories(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        await share_and_post(app, w, w.bob, stage="onsite")
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert mine.ephemeral
        assert "Story #1 · Final round" in mine.content and "Story #2" not in mine.content
        labels = [c["label"] for row in mine.components for c in row["components"]]
        # "Update 1": the comeback (a posted story's updates); the last from encouragement.
        assert labels == ["Delete 1", "Update 1", "Encouragement DMs"]
        empty = await w.fake.invoke(w.mod, w.channel, "mystories")
        assert empty.content == msg.MINE_EMPTY and not empty.components


async def test_delete_removes_the_post_and_the_row(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        assert len(posts(w.stories)) == 1
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        done = await w.fake.click(w.alice, mine.message, label="Delete 1")
        assert done.content.startswith(msg.DELETED.format(label="Story #1"))
        assert msg.MINE_EMPTY in done.content  # the list, updated
        assert posts(w.stories) == []
        assert await app.store.fetchone("SELECT 1 FROM stories") is None


async def test_deleting_a_forum_story_deletes_its_post(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Final round"])
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        await share_and_post(app, w, w.alice)
        (thread,) = forum.threads
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        await w.fake.click(w.alice, mine.message, label="Delete 1")
        assert thread.deleted
        assert await app.store.fetchone("SELECT 1 FROM stories") is None


async def test_a_scheduled_story_deleted_before_posting_never_appears(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=90)
        await share(w, w.alice)
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert "appearing <t:" in mine.content  # when it is due, in their own time zone
        await w.fake.click(w.alice, mine.message, label="Delete 1")
        await app.advance(minutes=5)
        assert posts(w.stories) == []
