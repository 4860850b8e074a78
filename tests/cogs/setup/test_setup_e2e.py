"""/setup and /config show, end to end on the local Discord."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord

from tests.harness import running_bot
from tests.helpers.ui import expire_open_views

EMBED_LINKS = discord.Permissions(embed_links=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
AFF_CHANNEL = "setup:pick:affirmations_channel"
NEXT = "Next ›"


def fields(result: Any) -> dict[str, str]:
    return {f["name"]: f["value"] for f in result.embeds[0]["fields"]}


def description(result: Any) -> str:
    return str(result.embeds[0].get("description") or "")


async def test_a_channel_missing_a_permission_is_reported_precisely_and_not_saved(
    world: Any, tmp_path: Path
) -> None:
    closed = world.guild.create_text_channel("closed-off")
    world.fake.set_bot_permissions(closed, deny=EMBED_LINKS | SEND_MESSAGES)
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        assert flow.ephemeral

        result = await world.fake.select(
            world.mod, flow.message, custom_id=AFF_CHANNEL, values=[closed]
        )

        text = description(result)
        assert f"In <#{closed.id}> I’m missing Send Messages and Embed Links." in text
        assert "Not saved" in text
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


async def test_setup_saves_each_choice_and_shows_current_values_when_run_again(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        assert fields(flow)["Affirmations channel"] == "not set"

        chosen = await world.fake.select(
            world.mod,
            flow.message,
            custom_id=AFF_CHANNEL,
            values=[world.channel],
        )
        assert "✅ Saved: Affirmations channel" in description(chosen)
        assert "I can work there" in fields(chosen)["Affirmations channel"]

        opened = await world.fake.click(
            world.mod, chosen.message, custom_id="setup:pick:affirmations_time"
        )
        assert opened.modal is not None
        timed = await world.fake.submit_modal(
            world.mod, world.channel, opened.modal, {"setup:time:": "07:15"}
        )
        assert "07:15" in description(timed)

        row = await app.store.fetchone("SELECT channel_id, post_time FROM affirmation_schedules")
        assert row is not None and (row["channel_id"], row["post_time"]) == (
            world.channel.id,
            "07:15",
        )
        assert await app.bot.scheduler.next_run("affirmations.guild", str(world.guild.id))

        again = await world.fake.invoke(world.mod, world.channel, "setup")
        assert f"<#{world.channel.id}>" in fields(again)["Affirmations channel"]
        assert "07:15" in fields(again)["Affirmation time"]


async def test_a_bad_time_changes_nothing_and_says_why(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        chosen = await world.fake.select(
            world.mod,
            flow.message,
            custom_id=AFF_CHANNEL,
            values=[world.channel],
        )
        opened = await world.fake.click(
            world.mod, chosen.message, custom_id="setup:pick:affirmations_time"
        )
        result = await world.fake.submit_modal(
            world.mod, world.channel, opened.modal, {"setup:time:": "25:99"}
        )
        assert "⚠️" in description(result)
        row = await app.store.fetchone("SELECT post_time FROM affirmation_schedules")
        assert row is not None and row["post_time"] == "08:00"


async def test_the_time_zone_is_found_by_searching_and_picked_from_the_list(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        await world.fake.select(
            world.mod,
            flow.message,
            custom_id=AFF_CHANNEL,
            values=[world.channel],
        )
        page = flow.message
        for _ in range(5):  # step forward to the time zone page
            current = await world.fake.click(world.mod, page, label=NEXT)
            page = current.message
            if "Time zone" in current.embeds[0]["title"]:
                break
        opened = await world.fake.click(world.mod, page, custom_id="setup:search:timezone")
        found = await world.fake.submit_modal(
            world.mod, world.channel, opened.modal, {"setup:query:": "berlin"}
        )
        assert "Found" in description(found)
        picked = await world.fake.select(
            world.mod, found.message, custom_id="setup:pick:timezone", values=["Europe/Berlin"]
        )
        assert "Saved" in description(picked)
        row = await app.store.fetchone("SELECT timezone FROM affirmation_schedules")
        assert row is not None and row["timezone"] == "Europe/Berlin"
        zone = await app.store.fetchone("SELECT default_timezone FROM guild_settings")
        assert zone is not None and zone["default_timezone"] == "Europe/Berlin"


async def test_the_notices_channel_is_checked_and_saved(world: Any, tmp_path: Path) -> None:
    notices = world.guild.create_text_channel("mod-notices")
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        page = flow.message
        for _ in range(5):
            current = await world.fake.click(world.mod, page, label=NEXT)
            page = current.message
            if "notices" in current.embeds[0]["title"]:
                break
        world.fake.set_bot_permissions(notices, deny=SEND_MESSAGES)
        await world.fake.settle()
        refused = await world.fake.select(
            world.mod, page, custom_id="setup:pick:notices_channel", values=[notices]
        )
        assert f"In <#{notices.id}> I’m missing Send Messages." in description(refused)
        world.fake.set_bot_permissions(notices)
        await world.fake.settle()
        saved = await world.fake.select(
            world.mod, refused.message, custom_id="setup:pick:notices_channel", values=[notices]
        )
        assert "Saved" in description(saved)
        row = await app.store.fetchone("SELECT notices_channel_id FROM guild_settings")
        assert row is not None and row["notices_channel_id"] == notices.id


async def test_setup_needs_manage_server(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.channel, "setup")
        assert result.ephemeral and "manage this server" in result.content
        result = await world.fake.invoke(world.alice, world.channel, "config show")
        assert "manage this server" in result.content


async def test_config_show_names_a_permission_lost_after_setup(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        await world.fake.select(
            world.mod,
            flow.message,
            custom_id=AFF_CHANNEL,
            values=[world.channel],
        )
        world.fake.set_bot_permissions(world.channel, deny=EMBED_LINKS)
        await world.fake.settle()

        result = await world.fake.invoke(world.mod, world.channel, "config show")

        assert result.ephemeral and len(result.embeds) == 1
        shown = fields(result)
        assert shown["Affirmations channel"] == f"<#{world.channel.id}>"
        assert f"In <#{world.channel.id}> I’m missing Embed Links." in shown["⚠️ Needs attention"]
        assert "30 days" in result.embeds[0]["footer"]["text"]


async def test_done_ends_the_flow_with_the_summary(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        done = await world.fake.click(world.mod, flow.message, custom_id="setup:nav:done")
        assert done.components == []
        assert "Rebound settings for Career Circle" in done.embeds[0]["title"]
        assert "/config show" in (done.content or "")


async def test_only_the_permission_to_grant_is_named_not_those_discord_implies(
    world: Any, tmp_path: Path
) -> None:
    """Without View Channel, Discord denies everything else there too; the admin only has to
    grant View Channel, so that is the one named."""
    hidden = world.guild.create_text_channel("hidden")
    world.fake.set_bot_permissions(hidden, deny=discord.Permissions(view_channel=True).value)
    async with running_bot(world.fake, data_dir=tmp_path):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        result = await world.fake.select(
            world.mod, flow.message, custom_id=AFF_CHANNEL, values=[hidden]
        )
        assert f"In <#{hidden.id}> I’m missing View Channel." in description(result)


async def go_to(world: Any, message: Any, title: str) -> Any:
    """Press Next until the page whose title contains `title`; returns that answer."""
    page = message
    for _ in range(6):
        current = await world.fake.click(world.mod, page, label=NEXT)
        if title in current.embeds[0]["title"]:
            return current
        page = current.message
    raise AssertionError(f"no /setup page titled {title!r}")


async def test_stories_channel_moderators_and_approval(world: Any, tmp_path: Path) -> None:
    stories = world.guild.create_text_channel("stories")
    mods = world.guild.create_text_channel("mod-queue")
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        page = await go_to(world, flow.message, "Stories")
        picked = await world.fake.select(
            world.mod, page.message, custom_id="setup:pick:stories_channel", values=[stories]
        )
        assert "Saved: Stories channel" in description(picked)

        refused = await world.fake.click(
            world.mod, picked.message, custom_id="setup:pick:stories_approval"
        )
        assert "moderator channel" in description(refused)
        modded = await world.fake.select(
            world.mod, refused.message, custom_id="setup:pick:stories_mod_channel", values=[mods]
        )
        approved = await world.fake.click(
            world.mod, modded.message, custom_id="setup:pick:stories_approval"
        )
        assert "Saved: Approve stories first → on" in description(approved)

        row = await app.store.fetchone(
            "SELECT channel_id, mod_channel_id, approval FROM story_settings"
        )
        assert row is not None
        assert (row["channel_id"], row["mod_channel_id"], row["approval"]) == (
            stories.id,
            mods.id,
            1,
        )
        shown = await world.fake.invoke(world.mod, world.channel, "config show")
        assert fields(shown)["Approve stories first"] == "on"


async def test_the_accountability_channel_needs_private_threads(world: Any, tmp_path: Path) -> None:
    room = world.guild.create_text_channel("accountability")
    no_private_threads = discord.Permissions(create_private_threads=True).value
    world.fake.set_bot_permissions(room, deny=no_private_threads)
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        page = await go_to(world, flow.message, "Accountability")
        refused = await world.fake.select(
            world.mod, page.message, custom_id="setup:pick:accountability_channel", values=[room]
        )
        assert f"In <#{room.id}> I’m missing Create Private Threads." in description(refused)
        world.fake.set_bot_permissions(room)
        await world.fake.settle()
        saved = await world.fake.select(
            world.mod, refused.message, custom_id="setup:pick:accountability_channel", values=[room]
        )
        assert "Saved: Accountability channel" in description(saved)
        row = await app.store.fetchone("SELECT accountability_channel_id FROM guild_settings")
        assert row is not None and row["accountability_channel_id"] == room.id


async def test_a_forum_can_be_the_stories_channel(world: Any, tmp_path: Path) -> None:
    forum = world.guild.create_forum_channel("stories-forum", tags=["Onsite"])
    # Threads are the forum's posts: starting a public thread is not what a forum needs.
    world.fake.set_bot_permissions(
        forum, deny=discord.Permissions(create_public_threads=True).value
    )
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        page = await go_to(world, flow.message, "Stories")
        picked = await world.fake.select(
            world.mod, page.message, custom_id="setup:pick:stories_channel", values=[forum]
        )
        assert "Saved: Stories channel" in description(picked), description(picked)
        row = await app.store.fetchone("SELECT channel_id FROM story_settings")
        assert row is not None and row["channel_id"] == forum.id


async def test_setup_buttons_and_forms_answer_after_a_restart(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        chosen = await world.fake.select(
            world.mod, flow.message, custom_id=AFF_CHANNEL, values=[world.channel]
        )
        opened = await world.fake.click(
            world.mod, chosen.message, custom_id="setup:pick:affirmations_time"
        )
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        timed = await world.fake.submit_modal(
            world.mod, world.channel, opened.modal, {"setup:time:": "06:45"}
        )
        assert "06:45" in description(timed)
        row = await app.store.fetchone("SELECT post_time FROM affirmation_schedules")
        assert row is not None and row["post_time"] == "06:45"

        following = await world.fake.click(world.mod, timed.message, label=NEXT)

        assert not following.missed_deadline
        assert "step 2 of" in following.embeds[0]["title"]


async def test_setup_still_answers_after_fifteen_minutes(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        expire_open_views(app.bot)  # as discord.py does once a view's 900 s are up
        world.fake.advance_time(20 * 60)

        page = await world.fake.click(world.mod, flow.message, label=NEXT)
        assert not page.missed_deadline and "step 2 of" in page.embeds[0]["title"]
        back = await world.fake.click(world.mod, page.message, label="‹ Back")
        assert "step 1 of" in back.embeds[0]["title"]
        chosen = await world.fake.select(
            world.mod, back.message, custom_id=AFF_CHANNEL, values=[world.channel]
        )
        assert "✅ Saved: Affirmations channel" in description(chosen)


async def test_config_show_says_a_deleted_channel_is_gone_not_missing_permissions(
    world: Any, tmp_path: Path
) -> None:
    doomed = world.guild.create_text_channel("old-affirmations")
    async with running_bot(world.fake, data_dir=tmp_path):
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        await world.fake.select(world.mod, flow.message, custom_id=AFF_CHANNEL, values=[doomed])
        world.fake.delete_channel(doomed)
        await world.fake.settle()

        result = await world.fake.invoke(world.mod, world.channel, "config show")

        shown = fields(result)
        assert shown["Affirmations channel"] == "a channel that was deleted"
        attention = shown["⚠️ Needs attention"]
        assert "Affirmations channel no longer exists" in attention and "/setup" in attention
        assert "missing" not in attention and "View Channel" not in attention

        again = await world.fake.invoke(world.mod, world.channel, "setup")
        assert "no longer exists" in fields(again)["Affirmations channel"]


async def test_setup_schedules_the_affirmation_as_affirmations_setup_does(
    world: Any, tmp_path: Path
) -> None:
    """Today's post already went out by hand: a later time chosen in /setup is for tomorrow, as
    /affirmations setup would schedule it, not an occurrence already taken today."""
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    async with running_bot(world.fake, data_dir=tmp_path, now=start) as app:
        setup = await world.fake.invoke(
            world.mod,
            world.channel,
            "affirmations setup",
            channel=world.channel,
            time="07:00",
            timezone="UTC",
        )
        assert "All set" in (setup.content or "")
        await world.fake.invoke(world.mod, world.channel, "affirmations now")
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        opened = await world.fake.click(
            world.mod, flow.message, custom_id="setup:pick:affirmations_time"
        )
        await world.fake.submit_modal(
            world.mod, world.channel, opened.modal, {"setup:time:": "09:00"}
        )
        nxt = await app.bot.scheduler.next_run("affirmations.guild", str(world.guild.id))
        assert nxt is not None
        assert nxt.due_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
