"""/affirmations setup, status and the admin commands, end to end on the local Discord."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord

from tests.harness import running_bot
from tests.helpers.affirmations import posts, setup, try_setup

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday


async def test_setup_confirms_with_the_next_post_as_a_discord_timestamp(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await setup(app, world, time="08:00", timezone="Europe/Berlin")
        # 08:00 CET on Monday 2 March is 07:00 UTC.
        assert f"<t:{int(datetime(2026, 3, 2, 7, 0, tzinfo=UTC).timestamp())}:F>" in result.content
        status = await world.fake.invoke(world.mod, world.channel, "affirmations status")
        assert status.ephemeral
        assert "Time: 08:00 (Europe/Berlin), every day" in status.content
        assert "State: ▶️ Running" in status.content
        expected = int(datetime(2026, 3, 2, 7, 0, tzinfo=UTC).timestamp())
        assert f"Next post: <t:{expected}:F>" in status.content


async def test_member_without_manage_server_is_refused_and_nothing_changes(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await try_setup(world, world.alice)
        assert result.ephemeral
        assert "Manage Server" in result.content
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None
        assert await app.store.fetchone("SELECT 1 FROM scheduled_jobs") is None
        for command in ("pause", "resume", "now", "preview", "list"):
            refused = await world.fake.invoke(world.alice, world.channel, f"affirmations {command}")
            assert refused.ephemeral and "Manage Server" in refused.content, command
        assert posts(world.channel) == []


async def test_unknown_timezone_gets_a_friendly_error_naming_it(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await try_setup(world, timezone="Mars/Olympus_Mons")
        assert result.ephemeral
        assert "Mars/Olympus_Mons" in result.content
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


async def test_bad_time_gets_a_friendly_error_naming_it(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await try_setup(world, time="25:61")
        assert result.ephemeral
        assert "25:61" in result.content
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


async def test_timezone_autocomplete_offers_iana_names(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        choices = await world.fake.autocomplete(
            world.mod, world.channel, "affirmations setup", focused="timezone", timezone="berlin"
        )
        values = [c["value"] for c in choices]
        assert "Europe/Berlin" in values
        assert len(values) <= 25


async def test_setup_refuses_a_channel_the_bot_cannot_post_in(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        world.fake.set_bot_permissions(
            world.channel, allow=0, deny=discord.Permissions(send_messages=True).value
        )
        await world.fake.settle()
        result = await try_setup(world)
        assert result.ephemeral and "Send Messages" in result.content
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


async def test_weekdays_only_skips_the_weekend(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, days="weekdays")
        await app.advance(days=7)  # Monday 06:00 to the next Monday 06:00
        titles = [p["embeds"][0]["title"] for p in posts(world.channel)]
        assert titles == [
            "Monday, 2 March",
            "Tuesday, 3 March",
            "Wednesday, 4 March",
            "Thursday, 5 March",
            "Friday, 6 March",
        ]


async def test_pause_stops_posts_and_resume_brings_them_back(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        paused = await world.fake.invoke(world.mod, world.channel, "affirmations pause")
        assert paused.ephemeral and "Paused" in paused.content
        status = await world.fake.invoke(world.mod, world.channel, "affirmations status")
        assert "Paused by someone with Manage Server" in status.content
        assert "none while paused" in status.content
        await app.advance(days=2)
        assert posts(world.channel) == []
        resumed = await world.fake.invoke(world.mod, world.channel, "affirmations resume")
        assert resumed.ephemeral and "<t:" in resumed.content
        await app.advance(days=1)
        assert len(posts(world.channel)) == 1


async def test_preview_is_private_and_consumes_nothing(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        first = await world.fake.invoke(world.mod, world.channel, "affirmations preview")
        again = await world.fake.invoke(world.mod, world.channel, "affirmations preview")
        assert first.ephemeral and again.ephemeral
        assert first.embeds and first.embeds[0]["description"]
        assert again.embeds[0]["description"] == first.embeds[0]["description"]
        assert posts(world.channel) == []
        deck = await app.store.fetchone("SELECT deck FROM affirmation_decks")
        assert deck is not None and '"drawn":[]' in deck["deck"]


async def test_now_posts_immediately_and_counts_as_todays(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, time="08:00")
        result = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert result.ephemeral
        assert len(posts(world.channel)) == 1
        again = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert again.ephemeral and "already" in again.content
        await app.advance(hours=4)  # past today's 08:00
        assert len(posts(world.channel)) == 1
        await app.advance(days=1)
        assert len(posts(world.channel)) == 2


async def test_own_affirmations_can_be_added_listed_and_removed(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        added = await world.fake.invoke(
            world.mod,
            world.channel,
            "affirmations add",
            text="Our circle has your back, whatever the inbox says today.",
        )
        assert added.ephemeral and "#1" in added.content
        listed = await world.fake.invoke(world.mod, world.channel, "affirmations list")
        assert "whatever the inbox says" in listed.embeds[0]["description"]
        duplicate = await world.fake.invoke(
            world.mod,
            world.channel,
            "affirmations add",
            text="our circle has your back — whatever the inbox says today!",
        )
        assert duplicate.ephemeral and "already" in duplicate.content
        too_long = await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="x" * 301
        )
        assert too_long.ephemeral and "301" in too_long.content
        removed = await world.fake.invoke(world.mod, world.channel, "affirmations remove", number=1)
        assert removed.ephemeral and "Removed #1" in removed.content
        rows = await app.store.fetchall("SELECT * FROM affirmation_custom")
        assert rows == []


async def test_mass_mentions_in_own_affirmations_are_refused(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="Good morning @everyone, go get it"
        )
        assert result.ephemeral
        assert await app.store.fetchone("SELECT 1 FROM affirmation_custom") is None


async def test_list_pages_with_buttons_that_survive_a_restart(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        for n in range(1, 24):
            added = await world.fake.invoke(
                world.mod, world.channel, "affirmations add", text=f"Small step number {n} counts."
            )
            assert added.content and f"#{n}" in added.content
        first = await world.fake.invoke(world.mod, world.channel, "affirmations list")
        assert first.ephemeral
        assert "Page 1 of 3" in first.embeds[0]["footer"]["text"]
        await app.restart()  # the buttons are DynamicItems: no in-memory view is needed
        second = await world.fake.click(world.mod, first.message, label="Next ›")
        assert "Page 2 of 3" in second.embeds[0]["footer"]["text"]
        assert "#11" in second.embeds[0]["description"]
        third = await world.fake.click(world.mod, second.message, label="Next ›")
        assert "#23" in third.embeds[0]["description"]
        buttons = {b["label"]: b for row in third.components for b in row["components"]}
        assert buttons["Next ›"].get("disabled") is True
        assert all(len(b["custom_id"]) <= 100 for b in buttons.values())
        assert all(b["custom_id"].startswith("aff:list:") for b in buttons.values())


async def test_now_rides_out_a_passing_discord_error(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        result = await try_setup(world)
        assert result.content and "All set" in result.content
        route = f"/channels/{world.channel.id}/messages"
        world.fake.fail_next("POST", route, status=503, count=1)
        first = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert first.followups and "Posted today’s" in first.followups[-1]["content"]
        assert len(posts(world.channel)) == 1


async def test_now_during_a_longer_outage_keeps_trying_and_posts_once(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await try_setup(world)
        route = f"/channels/{world.channel.id}/messages"
        world.fake.fail_next("POST", route, status=503, count=3)
        first = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert first.followups and "keep trying" in first.followups[-1]["content"]
        assert posts(world.channel) == []
        status = await world.fake.invoke(world.mod, world.channel, "affirmations status")
        assert "being sent" in status.content and "Running" in status.content
        await app.advance(minutes=5)
        assert len(posts(world.channel)) == 1
        again = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert "already up" in again.content
