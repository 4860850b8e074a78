"""A story post a crash left in flight longer than Discord's nonce window: run again once the
bot is back, looking first for the post the interrupted attempt may have made."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import (
    configure,
    posts,
    share_and_post,
    shared_with_the_longest_delay,
    story_world,
)

# Long before the restart: far outside Discord's nonce window (and the bot's).
LONG_AGO = 6 * 3600


async def _left_in_flight_long_ago(app: RunningBot) -> None:
    """As if the bot died hours ago after claiming the post's run: 'claimed', no job row."""
    async with app.store.transaction() as conn:
        await conn.execute(
            "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at, attempts) "
            "SELECT kind, key, occurrence, 'claimed', next_run_at, next_run_at - ?, 1 "
            "FROM scheduled_jobs WHERE kind = 'stories.post'",
            (LONG_AGO,),
        )
        await conn.execute("DELETE FROM scheduled_jobs WHERE kind = 'stories.post'")


async def test_a_post_interrupted_long_ago_before_discord_saw_it_is_posted_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await shared_with_the_longest_delay(app, w, w.alice)
        await _left_in_flight_long_ago(app)
        await app.restart()
        await app.advance(seconds=90)
        assert len(posts(w.stories)) == 1
        row = await app.store.fetchone("SELECT status FROM stories")
        assert row is not None and row["status"] == "posted"
        await app.restart()
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1


# (settings, where the message went, what the lost record had said, the status it keeps)
MADE_BEFORE_THE_CRASH = {
    "post": (
        {},
        "stories",
        "status = 'scheduled', posted_at = NULL, channel_id = NULL, message_id = NULL",
        ("posted", "message_id"),
    ),
    "queue entry": (
        {"approval": True},
        "mods",
        "queue_channel_id = NULL, queue_message_id = NULL",
        ("pending", "queue_message_id"),
    ),
}


@pytest.mark.parametrize("what", sorted(MADE_BEFORE_THE_CRASH))
async def test_a_message_discord_made_before_a_long_interruption_is_found_not_doubled(
    world: Any, tmp_path: Path, what: str
) -> None:
    """As if the bot died after Discord made the post (or the queue entry) and before it was
    recorded, hours ago: the run "claimed", Discord's nonce long forgotten."""
    options, where, lost, (status, column) = MADE_BEFORE_THE_CRASH[what]
    w = story_world(world)
    channel = getattr(w, where)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, **options)
        await share_and_post(app, w, w.alice)
        (made,) = posts(channel)
        w.fake.nonce_window = 0
        async with app.store.transaction() as conn:
            await conn.execute(f"UPDATE stories SET {lost}")
            await conn.execute(
                "UPDATE job_runs SET status = 'claimed', claimed_at = claimed_at - ?, "
                "finished_at = NULL WHERE kind = 'stories.post'",
                (LONG_AGO,),
            )
        await app.restart()
        await app.advance(minutes=2)
        assert [p["id"] for p in posts(channel)] == [made["id"]]
        row = await app.store.fetchone(f"SELECT status, {column} FROM stories")
        assert row is not None and tuple(row) == (status, int(made["id"]))
        run = await app.store.fetchone("SELECT status FROM job_runs WHERE kind = 'stories.post'")
        assert run is not None and run["status"] == "done"


async def test_a_story_the_bot_was_away_too_long_to_post_fails_and_its_author_hears_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        answer = await shared_with_the_longest_delay(app, w, w.alice)
        await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)
        await app.stop()  # away for eight days: longer than a post is tried
        app.clock.set(app.clock.now() + timedelta(days=8))
        await app.start()
        await app.advance(minutes=1)
        assert posts(w.stories) == []
        row = await app.store.fetchone("SELECT status FROM stories")
        assert row is not None and row["status"] == "failed"
        (dm,) = [m for m in w.fake.dm_messages(w.alice) if "away for too long" in m["content"]]
        assert "Career Circle" in dm["content"] and dm["mentions"] == []
        await app.restart()
        await app.advance(minutes=5)
        assert len(w.fake.dm_messages(w.alice)) == 1
        # They may share it again, and it goes out.
        await share_and_post(app, w, w.alice)
        assert len(posts(w.stories)) == 1
