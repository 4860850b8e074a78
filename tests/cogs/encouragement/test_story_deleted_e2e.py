"""A story's deletion reaches encouragement durably: its thread, thread record, kind words and
me-toos go, whether the cleanup runs at once, after a passing Discord error, or only after a
restart that came between the deletion and the cleanup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.seams import STORY_DELETED
from cogs.encouragement.repository import STORY_GONE_JOB
from cogs.privacy import messages as privacy_msg
from cogs.stories import messages as stories_msg
from tests.harness import RunningBot, running_bot
from tests.helpers.encouragement import encourage_post, shared_story, story_public_id
from tests.helpers.stories import configure, posts, story_world

THREAD = "/channels/{channel_id}"


async def encouragement_rows(app: RunningBot) -> dict[str, int]:
    found = {}
    for table in ("encouragement_stories", "encouragements", "encouragement_me_too"):
        row = await app.store.fetchone(f"SELECT COUNT(*) FROM {table}")
        assert row is not None
        if row[0]:
            found[table] = int(row[0])
    return found


async def gathered_story(app: RunningBot, w: Any) -> tuple[dict[str, Any], Any]:
    """Alice's story, with Bob's kind words and Carol's me-too on it."""
    carol = w.guild.add_member("carol")
    post, thread = await shared_story(app, w, w.alice)
    await encourage_post(w, w.bob, post, "You are not alone.", anonymous=True)
    await w.fake.click(carol, w.fake.message(post["id"]), label="Me too")
    assert await encouragement_rows(app) == {
        "encouragement_stories": 1,
        "encouragements": 1,
        "encouragement_me_too": 1,
    }
    return post, thread


async def delete_from_mystories(w: Any) -> None:
    mine = await w.fake.invoke(w.alice, w.channel, "mystories")
    done = await w.fake.click(w.alice, mine.message, label="Delete 1")
    assert done.content.startswith(stories_msg.DELETED.format(label="Story #1"))


async def gone_runs(app: RunningBot) -> list[str]:
    rows = await app.store.fetchall("SELECT status FROM job_runs WHERE kind = ?", (STORY_GONE_JOB,))
    return [str(r["status"]) for r in rows]


async def test_deleting_a_story_drops_its_thread_kind_words_and_me_toos(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _post, thread = await gathered_story(app, w)
        await delete_from_mystories(w)
        await app.run_due()
        assert await encouragement_rows(app) == {}
        assert thread.deleted or w.guild.get_channel(thread.id) is None
        assert await gone_runs(app) == ["done"]
        # The event carries ids only (the story's and its server's), and names no member.
        (event,) = await app.store.fetchall(
            "SELECT key, data FROM events WHERE name = ?", (STORY_DELETED,)
        )
        data = json.loads(event["data"])
        assert set(data) == {"story_id", "public_id", "guild_id"}
        assert data["guild_id"] == w.guild.id  # the server's work (a fleet's shard process)
        assert str(w.alice.id) not in event["data"] and str(w.alice.id) not in event["key"]


async def test_a_moderators_remove_drops_them_too(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        post, _thread = await gathered_story(app, w)
        opened = await w.fake.click(w.bob, w.fake.message(post["id"]), label=stories_msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {})
        (report,) = posts(w.mods)
        await w.fake.click(w.mod, report, label=stories_msg.REMOVE)
        await app.run_due()
        assert await encouragement_rows(app) == {}
        assert await gone_runs(app) == ["done"]


async def test_a_restart_between_the_deletion_and_the_cleanup_loses_nothing(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _post, thread = await gathered_story(app, w)
        public_id = story_public_id(_post)
        # The bot stops claiming work: the deletion is stored, its cleanup not yet run.
        await app.bot.scheduler.stop()
        await delete_from_mystories(w)
        assert await app.store.fetchone("SELECT 1 FROM stories") is None
        assert await encouragement_rows(app)  # still there, waiting for the cleanup
        await app.restart()
        await app.run_due()
        assert await encouragement_rows(app) == {}
        assert thread.deleted or w.guild.get_channel(thread.id) is None
        assert await gone_runs(app) == ["done"]
        # No job or run history keyed by the deleted story's public id.
        row = await app.store.fetchone("SELECT COUNT(*) FROM job_runs WHERE key = ?", (public_id,))
        assert row is not None and row[0] == 0


async def test_a_passing_error_deleting_the_thread_is_retried_then_all_goes(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _post, thread = await gathered_story(app, w)
        w.fake.fail_next("DELETE", THREAD, status=503)
        await delete_from_mystories(w)
        await app.run_due()
        # The first run met the 503: the records stay so the retry finds the thread.
        assert await encouragement_rows(app)
        assert not thread.deleted and w.guild.get_channel(thread.id) is not None
        await app.advance(minutes=10)
        assert await encouragement_rows(app) == {}
        assert thread.deleted or w.guild.get_channel(thread.id) is None
        assert await gone_runs(app) == ["done"]


async def test_privacy_delete_of_a_story_out_of_reach_drops_them_too(
    world: Any, tmp_path: Path
) -> None:
    """Discord refuses to take the post down (403): /privacy delete still deletes the row, and
    announces it in the same transaction, so encouragement's leftovers go as well."""
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await gathered_story(app, w)
        prompt = await w.fake.invoke(w.alice, w.channel, "privacy delete")
        with w.fake.expect_rejections():
            w.fake.fail_next("DELETE", "/channels/{channel_id}/messages/{message_id}", 403)
            done = await w.fake.click(w.alice, prompt.message, label=privacy_msg.CONFIRM)
        assert "I deleted everything" in (done.content or "")
        assert await app.store.fetchone("SELECT 1 FROM stories") is None
        await app.run_due()
        assert await encouragement_rows(app) == {}
        assert await gone_runs(app) == ["done"]
