"""/timezone set is followed by every feature that keeps local times, through the engine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.harness import running_bot

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


async def test_a_new_zone_moves_the_weekly_check_in_with_no_member_id_in_the_engine(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Europe/Berlin"
        )
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="09:00"
        )
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Asia/Tokyo")
        await app.run_due()
        status = await world.fake.invoke(world.alice, world.channel, "accountability status")
        assert "Asia/Tokyo" in status.content
        runs = await app.store.fetchall(
            "SELECT kind, key, status FROM job_runs WHERE kind LIKE '%.zone_change'"
        )
        assert sorted({(r["kind"], r["status"]) for r in runs}) == [
            ("accountability.zone_change", "done"),
            ("debrief.zone_change", "done"),
            ("streaks.zone_change", "done"),
        ]
        assert len(runs) == 6  # two changes, each followed once by each feature
        for table in ("events", "job_runs", "scheduled_jobs"):
            for row in await app.store.fetchall(f"SELECT * FROM {table}"):
                assert str(world.alice.id) not in repr(tuple(row)), table
