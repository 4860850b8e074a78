"""Upgrading a database written before job kinds were renamed ("story_post" became
"stories.post", migration 0016), with a story's post in flight and another still scheduled:
the one in flight is sent again with the nonce it had (Discord returns the first message, so
no double post) and the scheduled one is posted at its time (no lost schedule)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.scheduling import make_nonce
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import configure, longest_delays, posts, share, story_world

# It writes the SQLite file as the old release did (tests/core/test_pg_store.py upgrades a
# PostgreSQL database across the same migration).
pytestmark = pytest.mark.sqlite_only

KIND, OLD_KIND = "stories.post", "story_post"
DELAY = timedelta(seconds=60)  # the stories' max_delay, always taken in full (longest_delays)


def as_written_before_the_rename(db: Path) -> None:
    """The same rows as the release before 0016 wrote them: the old kind, schema version 15."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE scheduled_jobs SET kind = ? WHERE kind = ?", (OLD_KIND, KIND))
        conn.execute("UPDATE job_runs SET kind = ? WHERE kind = ?", (OLD_KIND, KIND))
        # what the core's migrations after 0016 add, taken away again (0017 only records
        # feature versions, with ON CONFLICT DO NOTHING)
        conn.execute("DROP TABLE shard_leases")
        conn.execute("ALTER TABLE scheduled_jobs DROP COLUMN guild_id")
        conn.execute("ALTER TABLE job_runs DROP COLUMN claimed_by")
        conn.execute("ALTER TABLE job_runs DROP COLUMN guild_id")
    conn.execute("PRAGMA user_version = 15")
    conn.close()


async def crash_while_posting(app: RunningBot, w: Any) -> None:
    """Discord stores the first story's post, and the bot dies before it hears back."""
    w.fake.latency = 2.0
    due = app.clock.now() + timedelta(seconds=11)
    rush = asyncio.create_task(app.advance_to(due))
    for _ in range(200):
        if posts(w.stories):
            break
        await asyncio.sleep(0.02)
    assert len(posts(w.stories)) == 1
    rush.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await rush
    app.bot.scheduler.drain_seconds = 0
    await app.stop()
    w.fake.latency = 0.0


async def test_runs_in_flight_and_schedules_survive_the_kind_rename(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=int(DELAY.total_seconds()))
        await share(w, w.alice)  # due in 60 s
        await app.advance(seconds=50)
        await share(w, w.bob)  # due in 60 s: 50 s after the first
        await crash_while_posting(app, w)
        # What the release before the rename sent: a nonce made from the old kind name (a
        # story's post has one nonce whatever run sends it: cogs/stories/posting.py).
        conn = sqlite3.connect(app.settings.db_path)
        ((key,),) = conn.execute("SELECT key FROM job_runs WHERE status = 'claimed'").fetchall()
        conn.close()
        old_nonce = make_nonce(OLD_KIND, key, "post")
        assert old_nonce in {
            nonce for _, channel, nonce in w.fake.state.nonces if channel == w.stories.id
        }
        as_written_before_the_rename(app.settings.db_path)

        app.clock.set(app.clock.now() + timedelta(seconds=30))  # inside the nonce window
        await app.start()  # migrates, then sends the first story again with its old nonce
        await app.advance(seconds=60)

        assert [p["embeds"][0]["title"] for p in posts(w.stories)] == ["Story #1", "Story #2"]
        # The run sent again first looks for its post among the channel's latest messages
        # (cogs/stories/posting.py) and finds it; the old nonce is the guard behind that.
        first = await app.store.fetchone("SELECT message_id FROM stories WHERE number = 1")
        assert first is not None and first["message_id"] == int(posts(w.stories)[0]["id"])
        assert w.fake.nonce_hits <= 1
        runs = await app.store.fetchall("SELECT kind, status FROM job_runs ORDER BY due_at")
        story_runs = [(r["kind"], r["status"]) for r in runs if "post" in r["kind"]]
        assert story_runs == [(KIND, "done"), (KIND, "done")]
        assert (
            await app.store.fetchone("SELECT 1 FROM scheduled_jobs WHERE kind = ?", (OLD_KIND,))
            is None
        )


def test_a_renamed_kind_keeps_the_nonce_of_its_old_name() -> None:
    assert make_nonce(KIND, "k", "1") == make_nonce(OLD_KIND, "k", "1")
    assert make_nonce(KIND, "k", "1", "notice") == make_nonce(OLD_KIND, "k", "1", "notice")
    assert make_nonce("affirmations.guild", "k", "1") != make_nonce(KIND, "k", "1")
