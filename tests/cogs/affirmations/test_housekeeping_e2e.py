"""The post log and run history do not grow forever: the bot's own hourly housekeeping keeps
`REBOUND_RUN_HISTORY_DAYS` (default 30) of each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.harness import running_bot
from tests.helpers.affirmations import posts, setup

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def test_post_log_and_run_history_are_pruned_after_the_retention_period(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START, run_history_days=10) as app:
        await setup(app, world)
        await app.advance(days=1)
        first = await app.store.fetchall("SELECT local_date FROM affirmation_posts")
        assert [r["local_date"] for r in first] == ["2026-03-02"]
        await app.advance(days=14)
        # what the scheduler's loop does every hour (the harness steps the clock by hand)
        assert await app.bot.scheduler.prune() > 0
        await app.advance(days=1)
        assert len(posts(world.channel)) == 16  # pruning the log posts nothing twice
        kept = await app.store.fetchall("SELECT local_date FROM affirmation_posts")
        runs = await app.store.fetchall(
            "SELECT occurrence FROM job_runs WHERE kind = 'affirmations.guild'"
        )
        dates = sorted(r["local_date"] for r in kept)
        assert "2026-03-02" not in dates and len(dates) <= 11, dates
        assert dates[-1] == "2026-03-17"
        assert "2026-03-02" not in {r["occurrence"] for r in runs}
