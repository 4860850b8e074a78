"""The weekly roundup exactly once: a forum roundup on "store then 5xx" and after a crash between
its post and its record, and a roundup due while the server is out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot
from tests.helpers.encouragement import shared_story
from tests.helpers.stories import configure, story_world

MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
NEXT_MONDAY_8 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
AFTER_DUE = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # the roundup is due at 09:00 (UTC)
THREADS = "/channels/{channel_id}/threads"


def forum_roundups(forum: Any) -> list[Any]:
    return [t for t in forum.threads if t.name.startswith("You were not alone")]


async def forum_world(world: Any) -> Any:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Final round"])
    w.stories = forum
    return w


@pytest.mark.parametrize("status", [500, 503])
async def test_a_forum_roundup_stored_then_5xx_is_posted_once(
    world: Any, tmp_path: Path, status: int
) -> None:
    w = await forum_world(world)
    async with running_bot(w.fake, data_dir=tmp_path, now=MONDAY) as app:
        await configure(w, channel=w.stories)
        await shared_story(app, w, w.alice)
        await app.advance_to(NEXT_MONDAY_8)
        w.fake.fail_after_store("POST", THREADS, status=status)
        await app.advance_to(AFTER_DUE)
        (roundup,) = forum_roundups(w.stories)
        assert roundup.name == "You were not alone · week of 2 March 2026"
        row = await app.store.fetchone("SELECT message_id FROM encouragement_roundups")
        assert row is not None and row["message_id"] == roundup.id
        await app.restart()
        await app.advance_to(datetime(2026, 3, 9, 20, 0, tzinfo=UTC))
        assert len(forum_roundups(w.stories)) == 1


async def test_a_forum_roundup_made_before_a_crash_is_found_not_posted_again(
    world: Any, tmp_path: Path
) -> None:
    w = await forum_world(world)
    async with running_bot(w.fake, data_dir=tmp_path, now=MONDAY) as app:
        await configure(w, channel=w.stories)
        await shared_story(app, w, w.alice)
        await app.advance_to(NEXT_MONDAY_8)
        # The process dies once the post is made and before its answer arrives: the run is
        # left claimed, the post exists, nothing records it.
        held = w.fake.hold_next("POST", THREADS, after_store=True)
        app.clock.set(AFTER_DUE)
        sweep = asyncio.create_task(app.bot.scheduler.run_due())
        await asyncio.wait_for(held.arrived.wait(), timeout=10)
        sweep.cancel()
        await asyncio.gather(sweep, return_exceptions=True)
        held.release()  # its answer goes to a request nobody waits for any more
        assert len(forum_roundups(w.stories)) == 1
        assert await app.store.fetchone("SELECT 1 FROM encouragement_roundups") is None
        await app.restart()  # recover(): the claimed run goes again, and looks first
        await app.run_due()
        assert len(forum_roundups(w.stories)) == 1
        row = await app.store.fetchone("SELECT message_id FROM encouragement_roundups")
        assert row is not None and row["message_id"] == forum_roundups(w.stories)[0].id


async def test_a_roundup_due_while_the_server_is_out_waits_for_it(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path, now=MONDAY) as app:
        await configure(w)
        await shared_story(app, w, w.alice)
        await app.advance_to(NEXT_MONDAY_8)
        await app.stop()
        w.fake.start_outage(w.guild)
        app.clock.set(AFTER_DUE)
        await app.start()  # the start-up sweep finds the roundup due and the server out
        assert not [m for m in w.stories.messages if "You were not alone" in m["content"]]
        status = await app.store.fetchone(
            "SELECT status, detail FROM job_runs WHERE kind = 'encouragement.roundup' "
            "ORDER BY due_at DESC LIMIT 1"
        )
        assert status is not None and status["status"] == "pending"
        w.fake.end_outage(w.guild)
        await w.fake.settle()
        await app.run_due()
        roundups = [m for m in w.stories.messages if "You were not alone" in m["content"]]
        assert len(roundups) == 1
