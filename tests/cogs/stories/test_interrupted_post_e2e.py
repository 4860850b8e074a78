"""A story post a crash left in flight longer than Discord's nonce window: run again once the
bot is back, looking first for the post the interrupted attempt may have made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import RunningBot, running_bot
from tests.helpers.stories import (
    configure,
    longest_delays,
    posts,
    share,
    share_and_post,
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
        longest_delays(app)
        await configure(w, max_delay=60)
        await share(w, w.alice)
        await _left_in_flight_long_ago(app)
        await app.restart()
        await app.advance(seconds=90)
        assert len(posts(w.stories)) == 1
        row = await app.store.fetchone("SELECT status FROM stories")
        assert row is not None and row["status"] == "posted"
        await app.restart()
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1


async def test_a_post_discord_made_before_a_long_interruption_is_found_not_doubled(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        (post,) = posts(w.stories)
        # As if the bot died after Discord made the post and before it was recorded, hours ago:
        # the story still "scheduled", its run "claimed", Discord's nonce long forgotten.
        w.fake.nonce_window = 0
        async with app.store.transaction() as conn:
            await conn.execute(
                "UPDATE stories SET status = 'scheduled', posted_at = NULL, channel_id = NULL, "
                "message_id = NULL"
            )
            await conn.execute(
                "UPDATE job_runs SET status = 'claimed', claimed_at = claimed_at - ?, "
                "finished_at = NULL WHERE kind = 'stories.post'",
                (LONG_AGO,),
            )
        await app.restart()
        await app.advance(minutes=2)
        assert [p["id"] for p in posts(w.stories)] == [post["id"]]
        row = await app.store.fetchone("SELECT status, message_id FROM stories")
        assert row is not None and tuple(row) == ("posted", int(post["id"]))
        run = await app.store.fetchone("SELECT status FROM job_runs WHERE kind = 'stories.post'")
        assert run is not None and run["status"] == "done"


async def test_a_queue_entry_discord_made_before_a_long_interruption_is_not_doubled(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        await share_and_post(app, w, w.alice)
        (entry,) = posts(w.mods)
        w.fake.nonce_window = 0
        async with app.store.transaction() as conn:
            await conn.execute(
                "UPDATE stories SET queue_channel_id = NULL, queue_message_id = NULL"
            )
            await conn.execute(
                "UPDATE job_runs SET status = 'claimed', claimed_at = claimed_at - ?, "
                "finished_at = NULL WHERE kind = 'stories.post'",
                (LONG_AGO,),
            )
        await app.restart()
        await app.advance(minutes=2)
        assert [p["id"] for p in posts(w.mods)] == [entry["id"]]
        row = await app.store.fetchone("SELECT status, queue_message_id FROM stories")
        assert row is not None and tuple(row) == ("pending", int(entry["id"]))
