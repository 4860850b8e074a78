"""A story's thread and a forum story post are made exactly once whatever Discord answers: "store
then 5xx", a plain 503, a story left without its thread by an older version; and kind words and OP
replies work once the thread exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cogs.encouragement import messages as m
from cogs.stories import messages as stories_msg
from tests.harness import running_bot
from tests.helpers.encouragement import encourage_post, shared_story
from tests.helpers.stories import configure, posts, share, story_world

FROM_MESSAGE = "/channels/{channel_id}/messages/{message_id}/threads"
THREADS = "/channels/{channel_id}/threads"


async def thread_record(app: Any) -> list[tuple[int, int | None]]:
    rows = await app.store.fetchall("SELECT message_id, thread_id FROM encouragement_stories")
    return [(r["message_id"], r["thread_id"]) for r in rows]


async def kind_words_and_reply_work(w: Any, post: dict[str, Any], thread: Any) -> None:
    done = await encourage_post(w, w.bob, post, "You are not alone in this.", anonymous=True)
    assert done.ephemeral and m.THREAD_NOT_READY not in (done.content or "")
    assert thread.messages[-1]["content"].endswith("You are not alone in this.")
    opened = await w.fake.invoke(w.alice, thread, "reply")
    assert opened.modal is not None, opened.content
    await w.fake.submit_modal(w.alice, thread, opened, {"Your reply": "Thank you."})
    assert thread.messages[-1]["content"].endswith("Thank you.")


@pytest.mark.parametrize("status", [500, 503])
async def test_a_thread_stored_then_5xx_is_made_once_and_recorded(
    world: Any, tmp_path: Path, status: int
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        w.fake.fail_after_store("POST", FROM_MESSAGE, status=status)
        post, thread = await shared_story(app, w, w.alice)
        assert len(w.stories.threads) == 1
        assert await thread_record(app) == [(int(post["id"]), thread.id)]
        await kind_words_and_reply_work(w, post, thread)


async def test_a_thread_refused_with_a_plain_503_is_made_on_the_next_try(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        w.fake.fail_next("POST", FROM_MESSAGE, status=503)
        post, thread = await shared_story(app, w, w.alice)
        assert len(w.stories.threads) == 1
        assert await thread_record(app) == [(int(post["id"]), thread.id)]
        await kind_words_and_reply_work(w, post, thread)


async def test_a_thread_that_waits_out_a_longer_outage_is_made_by_a_later_run(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        app.bot.creator._backoff = (0.01, 0.01)
        await configure(w)
        w.fake.fail_after_store("POST", FROM_MESSAGE, status=500)
        w.fake.fail_next("POST", FROM_MESSAGE, status=503, count=2)
        answer = await share(w, w.alice)
        assert stories_msg.ACK_FOOTER in (answer.content or "")
        await app.advance(seconds=20)  # posted; the thread's run waits for a retry
        assert await thread_record(app) == [(int(posts(w.stories)[0]["id"]), None)]
        await app.advance(minutes=2)
        (post,) = posts(w.stories)
        assert [t.id for t in w.stories.threads] == [int(post["id"])]
        assert await thread_record(app) == [(int(post["id"]), int(post["id"]))]


async def test_a_forum_story_stored_then_500_is_posted_once(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Final round"])
    w.stories = forum
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        w.fake.fail_after_store("POST", THREADS, status=500)
        _post, thread = await shared_story(app, w, w.alice)
        assert len(forum.threads) == 1 and thread is forum.threads[0]
        assert len(w.fake.requests_to("POST", THREADS)) == 1  # discord.py did not retry it
        row = await app.store.fetchone("SELECT status, message_id, thread_id FROM stories")
        assert row is not None and row["status"] == "posted"
        assert row["message_id"] == row["thread_id"] == thread.id
        assert await thread_record(app) == [(thread.id, thread.id)]


async def test_a_story_an_older_version_left_without_its_thread_gets_it_at_start(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        with w.fake.expect_rejections():
            w.fake.fail_next("POST", FROM_MESSAGE, status=403)
            await share(w, w.alice)
            await app.advance(seconds=20)
        (post,) = posts(w.stories)
        assert w.stories.threads == []
        # As the old fire-and-forget event left it: posted, no thread, nothing to redo it.
        async with app.store.transaction() as conn:
            await conn.execute("DELETE FROM encouragement_stories")
            await conn.execute("DELETE FROM job_runs WHERE kind = 'encouragement.story_thread'")
            await conn.execute("DELETE FROM events")
        await app.restart()
        await app.run_due()
        assert [t.id for t in w.stories.threads] == [int(post["id"])]
        assert await thread_record(app) == [(int(post["id"]), int(post["id"]))]
        await app.restart()
        await app.run_due()
        assert len(w.stories.threads) == 1


async def test_a_story_deleted_before_its_thread_is_made_gets_none(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        app.bot.creator._backoff = (0.01, 0.01)
        await configure(w)
        w.fake.fail_next("POST", FROM_MESSAGE, status=503, count=3)
        await share(w, w.alice)
        await app.advance(seconds=20)
        assert len(posts(w.stories)) == 1
        async with app.store.transaction() as conn:  # deleted meanwhile
            await conn.execute("DELETE FROM stories")
        await app.advance(minutes=5)
        assert w.stories.threads == []
        assert len(w.fake.requests_to("POST", FROM_MESSAGE)) == 3


async def test_kind_words_in_the_moment_before_the_threads_job_runs_are_asked_to_wait(
    world: Any, tmp_path: Path
) -> None:
    """Between a story's post and the first run of its thread's job there is no thread record
    yet: the story is up, so the answer is "not ready yet", not "isn't here anymore"."""
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        with w.fake.expect_rejections():
            w.fake.fail_next("POST", FROM_MESSAGE, status=403)
            await share(w, w.alice)
            await app.advance(seconds=20)
        (post,) = posts(w.stories)
        async with app.store.transaction() as conn:  # as it is before the job's first run
            await conn.execute("DELETE FROM encouragement_stories")
        answer = await encourage_post(w, w.bob, post, "Rooting for you.", anonymous=True)
        assert answer.ephemeral and m.THREAD_NOT_READY in (answer.content or "")
        assert m.STORY_GONE not in (answer.content or "")
