"""The streaks' hot statements on the real store (SQLite, or PostgreSQL with
REBOUND_TEST_STORE=postgresql): the one-statement member read and the one-statement write."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.db import Store
from bot.member_settings import ResolvedZone
from cogs.streaks.logic import Pause, RestRule
from cogs.streaks.repository import Counts, StreakRepository

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
GUILD, ALICE, BOB = 10**17 + 1, 2 * 10**17 + 1, 2 * 10**17 + 2


async def test_the_member_read_brings_zone_profile_and_every_kind_of_history_row(
    store: Store,
) -> None:
    repo = StreakRepository(store)
    async with store.transaction() as conn:
        await repo.ensure_profile(conn, GUILD, ALICE, "Europe/Berlin", NOW)
        await repo.set_flag(conn, GUILD, ALICE, "celebrate", True, NOW)
        await repo.set_freeze_told(conn, GUILD, ALICE, date(2026, 2, 20))
        for day, counts in ((date(2026, 3, 1), Counts(2, 1, None)), (date(2026, 2, 28), Counts())):
            await repo.save_checkin(conn, GUILD, ALICE, day, counts, "UTC", NOW, backfilled=False)
        await repo.set_rest(conn, GUILD, ALICE, date(2026, 2, 1), 0b1100000)
        await repo.set_rest(conn, GUILD, ALICE, date(2026, 1, 1), 0b1000000)
        later, sooner = (
            Pause(date(2026, 2, 10), date(2026, 2, 12)),
            Pause(date(2026, 1, 5), date(2026, 1, 9)),
        )
        for pause in (later, sooner):
            await repo.add_pause(conn, GUILD, ALICE, pause, NOW)
        await repo.end_pause(conn, GUILD, ALICE, sooner, date(2026, 1, 6))
        await repo.set_zone(
            conn, GUILD, ALICE, "Europe/Berlin", frozenset({date(2026, 1, 20)}), NOW
        )
        # Another member's rows are not hers.
        await repo.ensure_profile(conn, GUILD, BOB, "UTC", NOW)
        await repo.save_checkin(
            conn, GUILD, BOB, date(2026, 3, 1), Counts(9), "UTC", NOW, backfilled=False
        )
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, default_timezone, created_at, updated_at) "
            "VALUES (?, 'Asia/Tokyo', 0, 0)",
            (GUILD,),
        )
        read = await repo.member(conn, GUILD, ALICE)

    assert read.zone == ResolvedZone("Asia/Tokyo", "server")
    assert read.profile is not None
    assert (read.profile.zone, read.profile.celebrate, read.profile.leaderboard) == (
        "Europe/Berlin",
        True,
        False,
    )
    assert read.profile.freeze_told_through == date(2026, 2, 20)
    assert read.history.checkins == {date(2026, 3, 1): 3, date(2026, 2, 28): 0}
    assert list(read.history.rest) == [
        RestRule(date(2026, 1, 1), 0b1000000),
        RestRule(date(2026, 2, 1), 0b1100000),
    ]
    assert list(read.history.pauses) == [
        Pause(date(2026, 1, 5), date(2026, 1, 6), resumed=True),
        later,
    ]
    assert read.history.travel == frozenset({date(2026, 1, 20)})


async def test_a_member_never_seen_reads_as_no_profile_in_the_default_zone(store: Store) -> None:
    read = await store.run(StreakRepository(store).member, GUILD, ALICE)
    assert read.profile is None and read.history.checkins == {}
    assert read.zone == ResolvedZone("UTC", "default")


async def test_the_members_own_zone_wins_over_the_servers(store: Store) -> None:
    async with store.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, default_timezone, created_at, updated_at) "
            "VALUES (?, 'Asia/Tokyo', 0, 0)",
            (GUILD,),
        )
        await conn.execute(
            "INSERT INTO member_settings (user_id, timezone, updated_at) VALUES (?, ?, 0)",
            (ALICE, "America/Lima"),
        )
    read = await store.run(StreakRepository(store).member, GUILD, ALICE)
    assert read.zone == ResolvedZone("America/Lima", "member")


async def test_a_second_save_of_the_day_keeps_the_counts_left_out_and_returns_the_row(
    store: Store,
) -> None:
    repo = StreakRepository(store)
    day = date(2026, 3, 2)
    async with store.transaction() as conn:
        first = await repo.save_checkin(
            conn, GUILD, ALICE, day, Counts(2, None, None, "Call"), "UTC", NOW, backfilled=True
        )
        later = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
        second = await repo.save_checkin(
            conn, GUILD, ALICE, day, Counts(None, 4, 1), "Asia/Tokyo", later, backfilled=False
        )
    assert first == Counts(2, None, None, "Call")
    assert second == Counts(2, 4, 1, "Call")
    row = await store.fetchone(
        "SELECT timezone, backfilled, created_at, updated_at FROM streak_checkins"
    )
    assert row is not None
    # The first save's zone, backfill flag and creation stay; only the update time moves.
    assert tuple(row) == ("UTC", 1, int(NOW.timestamp()), int(later.timestamp()))
