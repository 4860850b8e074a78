"""/checkin end to end: counts, the modal, backfill, kind refusals, days in the member's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.harness import running_bot

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


async def checkins(app: Any) -> list[tuple[str, Any, Any, Any]]:
    rows = await app.store.fetchall(
        "SELECT local_date, applications, networking, skills FROM streak_checkins "
        "ORDER BY local_date"
    )
    return [tuple(r) for r in rows]


async def test_checkin_with_counts_is_ephemeral_warm_and_shows_the_streak(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(
            world.alice, world.channel, "checkin", applications=3, networking=1, note="Good day"
        )
        assert r.ephemeral
        assert "Checked in" in r.content and "Monday 2 March" in r.content
        assert "3 applications" in r.content
        assert await checkins(app) == [("2026-03-02", 3, 1, None)]
        assert world.channel.messages == []


async def test_a_second_check_in_the_same_day_updates_and_says_so(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=2)
        r = await world.fake.invoke(world.alice, world.channel, "checkin", skills=4)
        assert r.ephemeral and "Updated" in r.content and "counts once" in r.content
        assert await checkins(app) == [("2026-03-02", 2, None, 4)]


@pytest.mark.parametrize("option", ["applications", "networking", "skills"])
@pytest.mark.parametrize("value", [-1, 101, 5000])
async def test_every_count_outside_0_to_100_is_refused_kindly(
    world: Any, tmp_path: Path, option: str, value: int
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "checkin", **{option: value})
        assert r.ephemeral
        assert option in r.content and "0 to 100" in r.content and str(value) in r.content
        assert "Nothing was saved" in r.content
        assert await checkins(app) == []
        assert await app.store.fetchone("SELECT 1 FROM streak_profiles") is None


async def test_a_long_note_is_refused_kindly(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "checkin", note="x" * 501)
        assert r.ephemeral and "500" in r.content
        assert await checkins(app) == []


async def test_a_blank_note_is_no_note(world: Any, tmp_path: Path) -> None:
    """Decided: a note of only spaces, with nothing else, is answered kindly (nothing saved, no
    empty form); with counts, the counts are saved and the blank note is simply not kept."""
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "checkin", note="   ")
        assert r.modal is None and r.ephemeral and "note was blank" in r.content
        assert await checkins(app) == []
        r = await world.fake.invoke(
            world.alice, world.channel, "checkin", applications=2, note="   "
        )
        assert r.ephemeral and "Checked in" in r.content
        row = await app.store.fetchone("SELECT applications, note FROM streak_checkins")
        assert row is not None and tuple(row) == (2, None)


async def test_bare_checkin_opens_a_modal(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "checkin")
        assert r.modal is not None and r.modal["title"] == "Today's check-in"
        done = await world.fake.submit_modal(
            world.alice,
            world.channel,
            r.modal,
            {"Applications sent (0–100)": "5", "A note for yourself (optional)": "Phone screen!"},
        )
        assert done.ephemeral and "Checked in" in done.content
        assert await checkins(app) == [("2026-03-02", 5, None, None)]


@pytest.mark.parametrize("typed", ["150", "lots", "-3"])
async def test_modal_counts_outside_0_to_100_are_refused_kindly(
    world: Any, tmp_path: Path, typed: str
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "checkin")
        done = await world.fake.submit_modal(
            world.alice, world.channel, r.modal, {"Networking: people reached (0–100)": typed}
        )
        assert done.ephemeral and "0 to 100" in done.content
        assert await checkins(app) == []


async def test_yesterday_can_be_backfilled_once(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        r = await world.fake.invoke(
            world.alice, world.channel, "checkin", applications=2, day="yesterday"
        )
        assert r.ephemeral and "yesterday" in r.content and "2 days" in r.content
        again = await world.fake.invoke(
            world.alice, world.channel, "checkin", applications=2, day="yesterday"
        )
        assert again.ephemeral and "already counted" in again.content
        assert await checkins(app) == [("2026-03-01", 2, None, None), ("2026-03-02", 1, None, None)]


async def test_the_day_follows_the_members_zone_across_the_date_line(
    world: Any, tmp_path: Path
) -> None:
    # 10:30 UTC on 3 March is still 2 March in Pago Pago (UTC-11) and already 3 March elsewhere.
    async with running_bot(
        world.fake, data_dir=tmp_path, now=datetime(2026, 3, 3, 10, 30, tzinfo=UTC)
    ) as app:
        r = await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="pacific/pago_pago"
        )
        assert r.ephemeral and "Pacific/Pago_Pago" in r.content
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await world.fake.invoke(world.mod, world.channel, "checkin", applications=1)
        rows = await app.store.fetchall(
            "SELECT user_id, local_date FROM streak_checkins ORDER BY user_id"
        )
        by_member = {r["user_id"]: r["local_date"] for r in rows}
        assert by_member[world.alice.id] == "2026-03-02"
        assert by_member[world.mod.id] == "2026-03-03"


async def test_two_members_with_the_checkin_modal_open_at_once_both_check_in(
    world: Any, tmp_path: Path
) -> None:
    # discord.py keys open modals by custom_id alone: a shared id would let the second member's
    # modal replace the first one's, and the first submission would never be answered.
    bob = world.guild.add_member("bob")
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        first = await world.fake.invoke(world.alice, world.channel, "checkin")
        second = await world.fake.invoke(bob, world.channel, "checkin")
        assert first.modal is not None and second.modal is not None
        assert first.modal["custom_id"] != second.modal["custom_id"]
        done_first = await world.fake.submit_modal(
            world.alice, world.channel, first.modal, {"Applications sent (0–100)": "2"}
        )
        done_second = await world.fake.submit_modal(
            bob, world.channel, second.modal, {"Applications sent (0–100)": "7"}
        )
        assert "Checked in" in done_first.content and "Checked in" in done_second.content
        stored = await app.store.fetchall("SELECT applications FROM streak_checkins ORDER BY 1")
        assert [row[0] for row in stored] == [2, 7]
