"""/timezone set|show|clear, and the features that follow the member's one zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.timekeeping.zone_data import iana_version, tzdata_version
from tests.harness import running_bot

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def test_set_show_and_clear(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        before = await world.fake.invoke(world.alice, world.channel, "timezone show")
        assert before.ephemeral and "UTC" in before.content and "haven’t set" in before.content
        r = await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="america/new york"
        )
        assert r.ephemeral and "America/New_York" in r.content and "07:00" in r.content
        shown = await world.fake.invoke(world.alice, world.channel, "timezone show")
        assert "America/New_York" in shown.content and "you chose it" in shown.content
        row = await app.store.fetchone("SELECT timezone FROM member_settings")
        assert row is not None and row["timezone"] == "America/New_York"
        cleared = await world.fake.invoke(world.alice, world.channel, "timezone clear")
        assert cleared.ephemeral and "Cleared" in cleared.content
        again = await world.fake.invoke(world.alice, world.channel, "timezone clear")
        assert "nothing to clear" in again.content


async def test_a_bad_zone_is_refused_kindly_and_changes_nothing(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        r = await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="UTC+2")
        assert r.ephemeral and "fixed offset" in r.content
        r = await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Berln")
        assert r.ephemeral and "Europe/Berlin" in r.content  # a suggestion
        assert await app.store.fetchone("SELECT 1 FROM member_settings") is None


async def test_timezone_autocomplete_suggests_zones(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        choices = await world.fake.autocomplete(
            world.alice, world.channel, "timezone set", focused="timezone", timezone="kiri"
        )
        assert [c["value"] for c in choices] == ["Pacific/Kiritimati"]


async def test_affirmation_dms_default_to_the_members_zone(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Asia/Tokyo")
        r = await world.fake.invoke(world.alice, world.channel, "affirmations dm on", time="08:00")
        assert r.ephemeral and "Asia/Tokyo" in r.content
        row = await app.store.fetchone("SELECT timezone FROM affirmation_dm_subscriptions")
        assert row is not None and row["timezone"] == "Asia/Tokyo"
        # An explicit zone still wins.
        r = await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="08:00", timezone="Europe/Paris"
        )
        assert "Europe/Paris" in r.content


async def test_moving_east_across_the_date_line_keeps_the_streak(
    world: Any, tmp_path: Path
) -> None:
    # Pago Pago (UTC-11) to Kiritimati (UTC+14): 2 March 23:30 becomes 4 March 00:30.
    async with running_bot(
        world.fake, data_dir=tmp_path, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    ) as app:
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Pacific/Pago_Pago"
        )
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)  # 1 March
        await app.advance_to(datetime(2026, 3, 3, 10, 30, tzinfo=UTC))  # 2 March 23:30 local
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Pacific/Kiritimati"
        )
        r = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert "Wednesday 4 March" in r.content and "2 days" in r.content
        rows = await app.store.fetchall("SELECT local_date FROM streak_travel_days ORDER BY 1")
        assert [row[0] for row in rows] == ["2026-03-02", "2026-03-03"]


async def test_moving_west_never_counts_a_day_twice(world: Any, tmp_path: Path) -> None:
    async with running_bot(
        world.fake, data_dir=tmp_path, now=datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    ) as app:
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Pacific/Kiritimati"
        )
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)  # 4 March
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Pacific/Pago_Pago"
        )
        r = await world.fake.invoke(world.alice, world.channel, "checkin", networking=1)
        assert "Updated" in r.content and "Wednesday 4 March" in r.content
        rows = await app.store.fetchall("SELECT local_date FROM streak_checkins")
        assert [row[0] for row in rows] == ["2026-03-04"]


async def test_the_weekly_check_in_follows_a_zone_change(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="09:00"
        )
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Asia/Tokyo")
        await world.fake.settle()
        nxt = await app.bot.scheduler.next_run("accountability.weekly", "1")
        assert nxt is not None
        assert nxt.due_at == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo


async def test_the_servers_default_zone_applies_until_a_member_sets_their_own(
    world: Any, tmp_path: Path
) -> None:
    from bot.guild_settings import GuildSettingsRepository

    # 23:30 UTC on Monday 2 March is already Tuesday in Tokyo.
    async with running_bot(
        world.fake, data_dir=tmp_path, now=datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    ) as app:
        await GuildSettingsRepository(app.store).set_default_timezone(
            world.guild.id, "Asia/Tokyo", app.now
        )
        shown = await world.fake.invoke(world.alice, world.channel, "timezone show")
        assert "server’s default" in shown.content and "Asia/Tokyo" in shown.content
        r = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert "Tuesday 3 March" in r.content
        await world.fake.invoke(world.mod, world.channel, "timezone set", timezone="UTC")
        r = await world.fake.invoke(world.mod, world.channel, "checkin", applications=1)
        assert "Monday 2 March" in r.content


@pytest.mark.slow
async def test_about_and_check_name_the_zone_data_in_use(world: Any, tmp_path: Path) -> None:
    """Part F: the one source of zone rules is visible to members and to the operator."""
    from tests.helpers.cli import run_cli

    summary = f"{iana_version()} (tzdata {tzdata_version()})"
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        about = await world.fake.invoke(world.alice, world.channel, "about")
    fields = {field["name"]: field["value"] for field in about.embeds[0]["fields"]}
    assert fields["Time-zone data"] == summary
    checked = run_cli(tmp_path, "check")
    assert f"Time zones: {summary}" in checked.stdout


async def test_setup_search_counts_in_words_and_puts_what_est_means_first(
    world: Any, tmp_path: Path
) -> None:
    """Part D: "Found 1 time zone(s)", and "EST" offering Europe/Bucharest and Budapest."""
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        await world.fake.select(
            world.mod,
            flow.message,
            custom_id="setup:pick:affirmations_channel",
            values=[world.channel],
        )
        page = flow.message
        for _ in range(5):  # step forward to the time zone page
            current = await world.fake.click(world.mod, page, label="Next ›")
            page = current.message
            if "Time zone" in current.embeds[0]["title"]:
                break

        async def search(text: str) -> Any:
            opened = await world.fake.click(world.mod, page, custom_id="setup:search:timezone")
            field = opened.modal["components"][0]
            label = field.get("label") or field["components"][0]["label"]
            return await world.fake.submit_modal(
                world.mod, world.channel, opened.modal, {label: text}
            )

        one = await search("berlin")
        note = one.embeds[0]["description"]
        assert "Found 1 time zone for “berlin” — pick it from the list." in note
        est = await search("EST")
        assert "Found 2 time zones for “EST”" in est.embeds[0]["description"]
        select = next(
            component
            for row in est.message["components"]
            for component in row["components"]
            if component.get("custom_id") == "setup:pick:timezone"
        )
        offered = [option["value"] for option in select["options"]]
        found = [name for name in offered if name not in ("UTC",)]
        assert found[:2] == ["America/New_York", "America/Toronto"]
        assert "Europe/Bucharest" not in offered and "Europe/Budapest" not in offered
