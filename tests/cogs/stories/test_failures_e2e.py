"""When Discord says no: a passing error is retried, a lost channel is told to the admins."""

from __future__ import annotations

import asyncio
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


async def wait_used(fault: Any) -> None:
    """Until the emulator has answered every request the fault was set up for."""
    async with asyncio.timeout(10):
        while fault.used < fault.count:  # noqa: ASYNC110 (a Fault has no event to await)
            await asyncio.sleep(0.05)


async def posted_story(app: Any) -> None:
    """Until the bot has recorded the story as posted (its runs work in the background)."""
    query = "SELECT 1 FROM stories WHERE status = 'posted'"
    async with asyncio.timeout(10):
        while await app.store.fetchone(query) is None:  # noqa: ASYNC110 (polls the bot's store)
            await asyncio.sleep(0.05)


async def test_a_passing_discord_error_is_retried_later_and_never_doubled(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        # Discord stores the post but answers 503, three times over: the sender's quick
        # retries give up and the scheduler tries again later with the same nonce.
        fault = w.fake.fail_next(
            "POST", f"/channels/{w.stories.id}/messages", status=503, count=3, after_store=True
        )
        with w.fake.expect_rejections():
            await share(w, w.alice)
            await wait_used(fault)
            await w.fake.settle()
        row = await app.store.fetchone("SELECT status, number FROM stories")
        assert row is not None and (row["status"], row["number"]) == ("scheduled", 1)
        await app.advance(minutes=2)
        (post,) = posts(w.stories)  # the retry got Discord's first message back
        assert post["embeds"][0]["title"] == "Story #1"
        row = await app.store.fetchone("SELECT status, message_id FROM stories")
        assert row is not None and row["status"] == "posted"
        assert row["message_id"] == int(post["id"])
        await app.advance(minutes=30)
        assert len(posts(w.stories)) == 1


async def test_a_deleted_stories_channel_fails_the_story_and_tells_the_owner(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        await share(w, w.alice)
        w.fake.delete_channel(w.stories)
        await w.fake.settle()
        await app.advance(minutes=2)
        row = await app.store.fetchone("SELECT status FROM stories")
        assert row is not None and row["status"] == "failed"
        (notice,) = w.fake.dm_messages(w.guild.owner)
        assert "couldn’t be posted" in notice["content"]
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert msg.MINE_STATUS["failed"] in mine.content
        fresh = w.guild.create_text_channel("stories-again")
        await w.fake.settle()
        moved = await configure(w, channel=fresh)
        assert msg.RETRYING_FAILED_ONE.format(count=1) in moved.content
        await app.advance(seconds=5)
        (post,) = posts(fresh)
        assert post["embeds"][0]["title"] == "Story #1"


async def test_a_report_without_a_moderator_channel_tells_the_owner(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        opened = await w.fake.click(w.bob, posts(w.stories)[0], label=msg.REPORT)
        thanks = await w.fake.submit_modal(w.bob, w.stories, opened, {})
        assert thanks.content == msg.REPORT_THANKS
        (notice,) = w.fake.dm_messages(w.guild.owner)
        assert "no moderator channel is set" in notice["content"]


async def test_a_forum_post_created_despite_an_error_is_not_posted_twice(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Final round"])
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        fault = w.fake.fail_next(
            "POST", f"/channels/{forum.id}/threads", status=503, count=3, after_store=True
        )
        with w.fake.expect_rejections():
            await share(w, w.alice)
            await posted_story(app)
        assert fault.used == 1  # the quick retry found the post Discord had made
        await app.advance(minutes=10)
        (thread,) = forum.threads
        row = await app.store.fetchone("SELECT status, thread_id FROM stories")
        assert row is not None and (row["status"], row["thread_id"]) == ("posted", thread.id)
