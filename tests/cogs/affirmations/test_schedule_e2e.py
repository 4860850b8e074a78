"""Exactly once per server per local day: DST, odd offsets, restarts and catch-up."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot
from tests.helpers.affirmations import posted_at, posts, setup


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "start", "end", "post_time", "expected"),
    [
        # New York springs forward at 02:00 on 8 March 2026: 02:30 does not exist, so the post
        # goes at the first valid minute, 03:00 EDT (07:00 UTC).
        (
            "America/New_York",
            utc(2026, 3, 7, 0, 0),
            utc(2026, 3, 10, 0, 0),
            "02:30",
            {
                "2026-03-07": utc(2026, 3, 7, 7, 30),
                "2026-03-08": utc(2026, 3, 8, 7, 0),
                "2026-03-09": utc(2026, 3, 9, 6, 30),
            },
        ),
        # New York falls back at 02:00 on 1 November 2026: 01:30 happens twice; one post, at
        # the first (EDT, 05:30 UTC).
        (
            "America/New_York",
            utc(2026, 10, 31, 0, 0),
            utc(2026, 11, 3, 0, 0),
            "01:30",
            {
                "2026-10-31": utc(2026, 10, 31, 5, 30),
                "2026-11-01": utc(2026, 11, 1, 5, 30),
                "2026-11-02": utc(2026, 11, 2, 6, 30),
            },
        ),
        # Berlin springs forward at 02:00 on 29 March 2026: 02:30 → 03:00 CEST (01:00 UTC).
        (
            "Europe/Berlin",
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 31, 0, 0),
            "02:30",
            {
                "2026-03-28": utc(2026, 3, 28, 1, 30),
                "2026-03-29": utc(2026, 3, 29, 1, 0),
                "2026-03-30": utc(2026, 3, 30, 0, 30),
            },
        ),
        # Berlin falls back at 03:00 on 25 October 2026: 02:30 happens twice; one post at the
        # first (CEST, 00:30 UTC).
        (
            "Europe/Berlin",
            utc(2026, 10, 24, 0, 0),
            utc(2026, 10, 27, 0, 0),
            "02:30",
            {
                "2026-10-24": utc(2026, 10, 24, 0, 30),
                "2026-10-25": utc(2026, 10, 25, 0, 30),
                "2026-10-26": utc(2026, 10, 26, 1, 30),
            },
        ),
        # Kolkata is UTC+05:30 all year: 07:00 IST is 01:30 UTC.
        (
            "Asia/Kolkata",
            utc(2026, 3, 1, 12, 0),
            utc(2026, 3, 4, 12, 0),
            "07:00",
            {
                "2026-03-02": utc(2026, 3, 2, 1, 30),
                "2026-03-03": utc(2026, 3, 3, 1, 30),
                "2026-03-04": utc(2026, 3, 4, 1, 30),
            },
        ),
    ],
    ids=["new-york-spring", "new-york-fall", "berlin-spring", "berlin-fall", "kolkata"],
)
async def test_one_post_per_local_day_at_the_right_instant(
    world: Any,
    tmp_path: Path,
    zone: str,
    start: datetime,
    end: datetime,
    post_time: str,
    expected: dict[str, datetime],
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=start) as app:
        await setup(app, world, time=post_time, timezone=zone)
        await app.advance_to(end)
        assert await posted_at(app, world.guild.id) == expected
        assert len(posts(world.channel)) == len(expected)


async def test_restart_during_the_posting_minute_posts_once(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.advance_to(utc(2026, 3, 2, 8, 0, 10))
        assert len(posts(world.channel)) == 1
        await app.restart()
        await app.advance_to(utc(2026, 3, 2, 8, 0, 50))
        await app.restart()
        await app.advance_to(utc(2026, 3, 2, 9, 0))
        assert len(posts(world.channel)) == 1
        await app.advance_to(utc(2026, 3, 3, 9, 0))
        assert len(posts(world.channel)) == 2


async def test_gateway_drop_and_resume_never_doubles_a_post(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.advance_to(utc(2026, 3, 2, 8, 0, 5))
        await world.fake.drop_gateway(code=4000)
        await world.fake.settle()
        await app.advance_to(utc(2026, 3, 2, 8, 30))
        assert len(posts(world.channel)) == 1


async def test_post_missed_while_down_is_sent_late_within_grace(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.stop()
        app.clock.set(utc(2026, 3, 2, 10, 30))  # 2.5 h late, inside the 3 h grace
        await app.start()
        assert len(posts(world.channel)) == 1
        assert "later than planned" in posts(world.channel)[0]["embeds"][0]["footer"]["text"]
        await app.advance_to(utc(2026, 3, 2, 23, 0))
        assert len(posts(world.channel)) == 1


async def test_post_missed_beyond_grace_is_skipped_and_recorded(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.stop()
        app.clock.set(utc(2026, 3, 2, 11, 30))  # 3.5 h late
        await app.start()
        assert posts(world.channel) == []
        row = await app.store.fetchone(
            "SELECT status FROM job_runs WHERE occurrence = '2026-03-02'"
        )
        assert row is not None and row["status"] == "missed"
        await app.advance_to(utc(2026, 3, 3, 9, 0))
        assert len(posts(world.channel)) == 1


async def test_days_of_downtime_post_at_most_once_on_return(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.stop()
        app.clock.set(utc(2026, 3, 6, 9, 0))  # four mornings missed, the fifth one 1 h late
        await app.start()
        assert len(posts(world.channel)) == 1
        statuses = await app.store.fetchall(
            "SELECT occurrence, status FROM job_runs ORDER BY occurrence"
        )
        assert [r["status"] for r in statuses] == ["missed"] * 4 + ["done"]


async def test_changing_the_time_after_todays_post_waits_for_tomorrow(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=utc(2026, 3, 2, 7, 0)) as app:
        await setup(app, world, time="08:00", timezone="UTC")
        await app.advance_to(utc(2026, 3, 2, 9, 0))
        assert len(posts(world.channel)) == 1
        await setup(app, world, time="20:00", timezone="Europe/Berlin")
        await app.advance_to(utc(2026, 3, 2, 23, 59))
        assert len(posts(world.channel)) == 1  # 20:00 Berlin today: already posted today
        await app.advance_to(utc(2026, 3, 3, 23, 59))
        assert await posted_at(app, world.guild.id) == {
            "2026-03-02": utc(2026, 3, 2, 8, 0),
            "2026-03-03": utc(2026, 3, 3, 19, 0),
        }
