"""What a new user found in their first hour, each through the emulator."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from tests.harness import running_bot
from tests.helpers.affirmations import posts, setup, texts, try_setup

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday


def stamp(instant: datetime) -> str:
    return f"<t:{int(instant.timestamp())}:F>"


async def status(world: Any) -> str:
    result = await world.fake.invoke(world.mod, world.channel, "affirmations status")
    assert result.ephemeral and result.content
    return str(result.content)


# -- 1. status names the instant that will post -----------------------------------------------


async def test_after_now_status_names_tomorrow_and_nothing_posts_today(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, time="08:00")
        now = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert "Posted" in (now.content or "")
        tomorrow = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
        assert f"Next post: {stamp(tomorrow)}" in await status(world)
        assert stamp(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) not in await status(world)
        await app.advance_to(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
        assert len(posts(world.channel)) == 1
        await app.advance_to(tomorrow)
        assert len(posts(world.channel)) == 2


async def test_resume_on_a_day_already_posted_names_tomorrow(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, time="08:00")
        await world.fake.invoke(world.mod, world.channel, "affirmations now")
        await world.fake.invoke(world.mod, world.channel, "affirmations pause")
        resumed = await world.fake.invoke(world.mod, world.channel, "affirmations resume")
        tomorrow = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
        assert stamp(tomorrow) in (resumed.content or "")
        again = await setup(app, world, time="09:00")
        assert stamp(datetime(2026, 3, 3, 9, 0, tzinfo=UTC)) in (again.content or "")
        assert f"Next post: {stamp(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))}" in await status(world)


# -- 2. autocomplete answers stay within Discord's limits ---------------------------------------


@pytest.mark.parametrize("typed", ["x" * 101, "mon, " * 40, "", "week"])
async def test_days_autocomplete_fits_discords_limits_for_any_input(
    world: Any, tmp_path: Path, typed: str
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        found = await world.fake.autocomplete(
            world.mod, world.channel, "affirmations setup", focused="days", days=typed
        )
        assert len(found) <= 25
        for choice in found:
            assert 1 <= len(choice["name"]) <= 100 and 1 <= len(choice["value"]) <= 100
        assert world.fake.rejected == []


async def test_a_failing_autocomplete_logs_no_member_id(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cogs.affirmations.cog as cog_module

    def broken(query: str, limit: int = 25) -> list[str]:
        raise RuntimeError("zone lookup broke")

    monkeypatch.setattr(cog_module, "timezone_suggestions", broken)
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        with caplog.at_level(logging.INFO):
            found = await world.fake.autocomplete(
                world.mod, world.channel, "affirmations setup", focused="timezone", timezone="ber"
            )
    assert found == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Autocomplete of /affirmations setup failed" in logged
    assert str(world.mod.id) not in logged and "Ignoring exception" not in logged


# -- 3. nothing visible is refused ------------------------------------------------------------


async def test_an_affirmation_of_invisible_characters_is_refused(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="\u200b" * 20
        )
        assert result.ephemeral and "empty" in (result.content or "")
        assert await app.store.fetchone("SELECT 1 FROM affirmation_custom") is None


# -- 4. numbers per server, never reused, a new one joins the round -----------------------------


async def test_custom_numbers_are_per_server_and_never_reused(world: Any, tmp_path: Path) -> None:
    other = world.fake.create_guild("Second Server")
    other_channel = other.create_text_channel("general")
    other_mod = other.add_member("admin2", permissions=discord.Permissions(manage_guild=True).value)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        for n in range(3):
            added = await world.fake.invoke(
                world.mod, world.channel, "affirmations add", text=f"You are doing fine, day {n}."
            )
            assert f"#{n + 1} " in (added.content or "")
        first_elsewhere = await world.fake.invoke(
            other_mod, other_channel, "affirmations add", text="A fresh start for this server."
        )
        assert "#1 " in (first_elsewhere.content or "")
        await app.advance(days=1)  # a post: the deck now has a round going
        removed = await world.fake.invoke(world.mod, world.channel, "affirmations remove", number=3)
        assert "Removed #3" in (removed.content or "")
        readded = await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="Something new and kind today."
        )
        assert "#4 " in (readded.content or "")
        await app.advance(days=1)
        row = await app.store.fetchone(
            "SELECT deck FROM affirmation_decks WHERE owner = ?", (f"guild:{world.guild.id}",)
        )
        assert row is not None
        deck = json.loads(row["deck"])
        assert "n:4" in deck["remaining"] or "n:4" in deck["drawn"]
        assert "n:3" not in deck["remaining"]


# -- 5. the server's own texts are for its admins ------------------------------------------------


async def test_remove_autocomplete_answers_only_admins(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="Our own words of courage."
        )
        for_member = await world.fake.autocomplete(
            world.alice, world.channel, "affirmations remove", focused="number"
        )
        for_admin = await world.fake.autocomplete(
            world.mod, world.channel, "affirmations remove", focused="number"
        )
        assert for_member == []
        assert [c["value"] for c in for_admin] == [1]


# -- 6. only zones that follow a place -------------------------------------------------------------


async def test_fixed_offset_zones_are_refused_with_a_hint(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        for zone in ("EST", "Etc/GMT+5", "GMT"):
            refused = await try_setup(world, timezone=zone)
            assert refused.ephemeral and "did you mean" in (refused.content or "")
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None
        est = await world.fake.autocomplete(
            world.mod, world.channel, "affirmations setup", focused="timezone", timezone="est"
        )
        assert est[0]["value"] == "America/New_York"
        assert all(c["value"] not in {"EST", "EST5EDT"} for c in est)
        await setup(app, world, timezone="US/Eastern")
        row = await app.store.fetchone("SELECT timezone FROM affirmation_schedules")
        assert row is not None
        assert row["timezone"] == "America/New_York"


# -- 7. preview shows the next post ----------------------------------------------------------------


async def test_preview_on_a_fresh_server_is_the_next_post_with_its_ping(
    world: Any, tmp_path: Path
) -> None:
    role = world.guild.create_role("morning", mentionable=True)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, role=role)
        preview = await world.fake.invoke(world.mod, world.channel, "affirmations preview")
        assert f"<@&{role.id}>" in (preview.content or "")
        shown = preview.embeds[0]["description"]
        await app.advance(days=1)
        assert texts(world.channel)[0] == shown
        assert posts(world.channel)[0]["content"] == f"<@&{role.id}>"


# -- 8. rough edges ------------------------------------------------------------------------------


async def test_a_personal_dm_does_not_suggest_dms_or_talk_to_a_room(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="07:00", timezone="UTC"
        )
        await app.advance(days=7)  # every weekday's step once
        dms = [m for m in world.fake.dm_messages(world.alice) if m.get("embeds")]
        assert len(dms) == 7
        for dm in dms:
            action = dm["embeds"][0]["fields"][0]["value"]
            assert "Turn on" not in action and " here" not in action


async def test_dm_on_from_dms_does_not_talk_about_this_server(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        dm = world.fake.dm_channel(world.alice)
        result = await world.fake.invoke(
            world.alice, dm, "affirmations dm on", time="07:00", timezone="UTC"
        )
        assert "this server" not in (result.content or "")
        assert "right here" in (result.content or "")


async def test_removed_text_has_no_doubled_punctuation(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        await world.fake.invoke(world.mod, world.channel, "affirmations add", text="Rest is okay.")
        removed = await world.fake.invoke(world.mod, world.channel, "affirmations remove", number=1)
        assert removed.content == "Removed #1: “Rest is okay.”"


async def test_line_breaks_are_kept_and_a_flag_counts_once(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        flags = await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="🇩🇪" * 300
        )
        assert "Added" in (flags.content or "")
        await world.fake.invoke(
            world.mod, world.channel, "affirmations add", text="One step.\nThen another one."
        )
        row = await app.store.fetchone("SELECT text FROM affirmation_custom WHERE number = 2")
        assert row is not None
        assert row["text"] == "One step.\nThen another one."


async def test_now_while_paused_says_the_schedule_stays_paused(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await world.fake.invoke(world.mod, world.channel, "affirmations pause")
        result = await world.fake.invoke(world.mod, world.channel, "affirmations now")
        assert "still paused" in (result.content or "")
        assert len(posts(world.channel)) == 1


async def test_about_describes_only_features_in_the_build(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(world.alice, world.channel, "about")
        text = json.dumps(result.embeds)
        assert "morning affirmation" in text
        for feature, words in (
            ("stories", "Stories"),
            ("encouragement", "Encouragement:"),
            ("streaks", "Check-ins"),
        ):
            assert (words in text) == (f"cogs.{feature}" in app.bot.extensions)


# -- 9. Manage Server is server-wide ---------------------------------------------------------------


async def test_manage_server_through_a_channel_overwrite_is_not_an_admin(
    world: Any, tmp_path: Path
) -> None:
    world.fake.set_permissions(
        world.channel, world.alice, allow=discord.Permissions(manage_guild=True).value
    )
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        refused = await try_setup(world, member=world.alice)
        assert refused.ephemeral and "manage this server" in (refused.content or "")
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None
        assert (await try_setup(world)).content.startswith("All set")


# -- 10. what members expect ------------------------------------------------------------------


async def test_dm_status_tells_my_time_and_zone(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        off = await world.fake.invoke(world.alice, world.channel, "affirmations dm status")
        assert "off" in (off.content or "")
        await world.fake.invoke(
            world.alice, world.channel, "affirmations dm on", time="7:15", timezone="europe/paris"
        )
        on = await world.fake.invoke(world.alice, world.channel, "affirmations dm status")
        assert "07:15" in (on.content or "") and "Europe/Paris" in (on.content or "")
        assert on.ephemeral


async def test_setup_changes_only_what_is_given_and_shows_current_values(
    world: Any, tmp_path: Path
) -> None:
    other = world.guild.create_text_channel("mornings")
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, time="08:00", timezone="Europe/Berlin", days="weekdays")
        await world.fake.invoke(world.mod, world.channel, "affirmations setup", time="07:30")
        await world.fake.invoke(world.mod, world.channel, "affirmations setup", channel=other)
        row = await app.store.fetchone("SELECT * FROM affirmation_schedules")
        assert row is not None
        assert (row["post_time"], row["timezone"], row["days_mask"], row["channel_id"]) == (
            "07:30",
            "Europe/Berlin",
            0b0011111,
            other.id,
        )
        shown = await world.fake.invoke(world.mod, world.channel, "affirmations setup")
        for part in ("07:30", "Europe/Berlin", "weekdays", f"<#{other.id}>"):
            assert part in (shown.content or "")


async def test_first_setup_without_a_time_says_what_it_needs(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await world.fake.invoke(
            world.mod, world.channel, "affirmations setup", channel=world.channel
        )
        assert result.ephemeral and "time zone" in (result.content or "")
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None
