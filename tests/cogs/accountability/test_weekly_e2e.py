"""Weekly accountability end to end: join, the DM, goals, the review from week two, restarts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.harness import RunningBot, running_bot

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday; 09:00 in Berlin is 08:00 UTC


def prompts(world: Any) -> list[dict[str, Any]]:
    return [
        msg
        for msg in world.fake.dm_messages(world.alice)
        if "weekly check-in" in msg.get("content", "")
    ]


async def join(app: RunningBot, world: Any) -> None:
    r = await world.fake.invoke(
        world.mod, world.channel, "accountability channel", channel=world.channel
    )
    assert r.ephemeral and "will go to" in r.content
    await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Europe/Berlin")
    r = await world.fake.invoke(
        world.alice, world.channel, "accountability join", day=0, time="09:00"
    )
    assert r.ephemeral and "Monday" in r.content and "Europe/Berlin" in r.content


async def test_weekly_check_in_across_two_weeks_with_a_restart_between(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        await app.advance_to(datetime(2026, 3, 2, 7, 59, tzinfo=UTC))
        assert prompts(world) == []
        await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        assert len(prompts(world)) == 1
        dm = world.fake.dm_channel(world.alice)

        # Week one: no review yet, straight to the goals.
        opened = await world.fake.click(world.alice, prompts(world)[0], label="Start check-in")
        assert (
            opened.modal is not None and opened.modal["title"] == "What are your goals this week?"
        )
        saved = await world.fake.submit_modal(
            world.alice, dm, opened.modal, {"Goal 1": "Apply to 5 roles", "Goal 2": "Coffee chat"}
        )
        assert "saved" in saved.content and "Apply to 5 roles" in saved.content
        shared = await world.fake.click(
            world.alice, saved.message, label="Share a summary in #affirmations"
        )
        assert shared.ephemeral
        posts = [msg for msg in world.channel.messages if "week" in msg["content"]]
        assert len(posts) == 1 and "Coffee chat" in posts[0]["content"]
        assert posts[0]["mentions"] == []  # the member is named, not pinged

        # A restart the same morning does not prompt again.
        await app.restart()
        await app.advance_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        assert len(prompts(world)) == 1

        # Downtime over the next prompt: the start-up sweep sends it, once.
        await app.stop()
        app.clock.set(datetime(2026, 3, 9, 8, 20, tzinfo=UTC))
        await app.start()
        await app.advance_to(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
        assert len(prompts(world)) == 2
        assert "look back" in prompts(world)[1]["content"]

        # Week two: first the review of last week's goals, then this week's goals.
        opened = await world.fake.click(world.alice, prompts(world)[1], label="Start check-in")
        assert opened.modal is not None and opened.modal["title"] == "How did last week’s goals go?"
        reviewed = await world.fake.submit_modal(
            world.alice,
            dm,
            opened.modal,
            {
                "Goal 1: Apply to 5 roles": ["done"],
                "Goal 2: Coffee chat": ["partly"],
                "A line of reflection (optional)": "Mornings work best for me",
            },
        )
        assert "1 done, 1 partly, 0 not yet" in reviewed.content
        goals = await world.fake.click(world.alice, reviewed.message, label="Set this week’s goals")
        assert goals.modal is not None
        await world.fake.submit_modal(world.alice, dm, goals.modal, {"Goal 1": "Two interviews"})

        listing = await world.fake.invoke(world.alice, world.channel, "accountability goals")
        assert listing.ephemeral
        text = listing.content
        assert text.index("Two interviews") < text.index("Apply to 5 roles")
        assert "Done ✅" in text and "Partly 🌓" in text and "Mornings work best" in text

        rows = await app.store.fetchall(
            "SELECT occurrence, status FROM job_runs WHERE kind = 'accountability.weekly' "
            "ORDER BY occurrence"
        )
        assert [tuple(r) for r in rows] == [("2026-03-02", "done"), ("2026-03-09", "done")]


async def test_only_the_member_can_use_their_prompt(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        world.fake.close_dms(world.alice)
        with world.fake.expect_rejections():
            await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        (thread,) = [t for t in world.guild.threads if t.type == 12]
        prompt = thread.messages[0]
        assert str(world.alice.id) not in str(prompt["components"])
        # The owner can see every private thread, but the check-in is not theirs.
        other = await world.fake.click(world.guild.owner, prompt, label="Start check-in")
        assert other.modal is None and other.ephemeral and "someone else" in other.content


async def test_closed_dms_get_a_private_thread_in_the_accountability_channel(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        world.fake.close_dms(world.alice)
        with world.fake.expect_rejections():
            await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        threads = [t for t in world.guild.threads if t.type == 12]
        assert len(threads) == 1
        thread = threads[0]
        assert "alice" not in thread.name
        assert len(thread.messages) == 1
        assert thread.messages[0]["mentions"][0]["id"] == str(world.alice.id)
        opened = await world.fake.click(world.alice, thread.messages[0], label="Start check-in")
        assert opened.modal is not None


async def test_leave_stops_the_prompts(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        r = await world.fake.invoke(world.alice, world.channel, "accountability leave")
        assert r.ephemeral and "no more" in r.content
        await app.advance(days=8)
        assert prompts(world) == []
        status = await world.fake.invoke(world.alice, world.channel, "accountability status")
        assert "left" in status.content


async def test_status_shows_the_next_check_in(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        r = await world.fake.invoke(world.alice, world.channel, "accountability status")
        assert r.ephemeral and "Monday" in r.content and "09:00" in r.content
        due = int(datetime(2026, 3, 2, 8, 0, tzinfo=UTC).timestamp())
        assert f"<t:{due}:F>" in r.content


async def test_channel_needs_manage_server(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        r = await world.fake.invoke(
            world.alice, world.channel, "accountability channel", channel=world.channel
        )
        assert r.ephemeral and "manage this server" in r.content


async def test_a_past_weeks_prompt_says_it_has_passed_and_offers_this_weeks(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        dm = world.fake.dm_channel(world.alice)
        await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        week1 = prompts(world)[0]
        opened = await world.fake.click(world.alice, week1, label="Start check-in")
        await world.fake.submit_modal(world.alice, dm, opened.modal, {"Goal 1": "Apply to 5"})
        left_open = await world.fake.click(world.alice, week1, label="Start check-in")
        assert left_open.modal is not None  # a form for week one, still open when week two comes

        await app.advance_to(datetime(2026, 3, 9, 8, 30, tzinfo=UTC))
        old = await world.fake.click(world.alice, week1, label="Start check-in")
        assert old.modal is None and old.ephemeral
        assert "week of Monday 2 March, which has passed" in old.content
        late = await world.fake.submit_modal(world.alice, dm, left_open.modal, {"Goal 1": "Late"})
        assert late.ephemeral and "has passed" in late.content
        here = await world.fake.click(world.alice, old.message, label="Open this week’s check-in")
        assert here.modal is not None and here.modal["title"] == "How did last week’s goals go?"
        goals = await app.store.fetchall("SELECT text FROM accountability_goals")
        assert [r[0] for r in goals] == ["Apply to 5"]  # week one's goals were not edited


async def test_after_a_skipped_week_the_review_does_not_ask_about_two_weeks_ago(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        dm = world.fake.dm_channel(world.alice)
        await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        opened = await world.fake.click(world.alice, prompts(world)[0], label="Start check-in")
        await world.fake.submit_modal(world.alice, dm, opened.modal, {"Goal 1": "Apply to 5"})
        # Week two's prompt comes and is left alone; week three's is the next one used.
        await app.advance_to(datetime(2026, 3, 16, 8, 30, tzinfo=UTC))
        week3 = prompts(world)[2]
        assert "look back" not in week3["content"]
        opened = await world.fake.click(world.alice, week3, label="Start check-in")
        assert opened.modal is not None
        assert opened.modal["title"] == "What are your goals this week?"


def private_threads(world: Any) -> list[Any]:
    return [t for t in world.guild.threads if t.type == 12]


async def assert_one_thread_with_one_prompt(app: RunningBot, world: Any) -> None:
    (thread,) = private_threads(world)
    assert len(thread.messages) == 1
    assert thread.messages[0]["mentions"][0]["id"] == str(world.alice.id)
    assert "alice" not in thread.name and str(world.alice.id) not in thread.name
    rows = await app.store.fetchall(
        "SELECT kind, status FROM job_runs "
        "WHERE kind IN ('accountability.thread', 'accountability.weekly') ORDER BY kind"
    )
    assert [tuple(r) for r in rows] == [
        ("accountability.thread", "done"),
        ("accountability.weekly", "done"),
    ]


@pytest.mark.parametrize("status", [500, 503])
async def test_a_private_thread_discord_stored_before_answering_5xx_is_made_once(
    world: Any, tmp_path: Path, status: int
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        world.fake.close_dms(world.alice)
        world.fake.fail_after_store("POST", f"/channels/{world.channel.id}/threads", status=status)
        with world.fake.expect_rejections():
            await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
            await app.run_due()
        await assert_one_thread_with_one_prompt(app, world)
        opened = await world.fake.click(
            world.alice, private_threads(world)[0].messages[0], label="Start check-in"
        )
        assert opened.modal is not None


async def test_a_private_thread_whose_prompt_failed_gets_it_after_a_restart_once(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        world.fake.close_dms(world.alice)
        await app.advance_to(datetime(2026, 3, 2, 7, 59, tzinfo=UTC))
        # The thread is made, then adding the member meets three 503s: the run waits to be
        # retried, its thread made and still empty.
        route = "/channels/{channel_id}/thread-members/{user_id}"
        world.fake.fail_next("PUT", route, status=503, count=3)
        with world.fake.expect_rejections():
            await app.advance_to(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
            await app.run_due()
        (thread,) = private_threads(world)
        assert thread.messages == []
        await app.restart()
        with world.fake.expect_rejections():
            await app.advance(minutes=10)
        await assert_one_thread_with_one_prompt(app, world)


async def test_a_private_thread_due_during_a_server_outage_waits_for_the_server(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        world.fake.close_dms(world.alice)
        await app.stop()
        # The bot starts during an outage of the server, with the prompt due.
        world.fake.start_outage(world.guild)
        app.clock.set(datetime(2026, 3, 2, 8, 5, tzinfo=UTC))
        with world.fake.expect_rejections():
            await app.start()
            await app.run_due()
        guild = app.bot.get_guild(world.guild.id)
        assert guild is not None and guild.unavailable
        assert private_threads(world) == []
        status = await app.store.fetchone(
            "SELECT status, detail FROM job_runs WHERE kind = 'accountability.thread'"
        )
        assert status is not None and status[0] == "pending"
        await app.advance(minutes=20)
        world.fake.end_outage()
        await world.fake.settle()
        await app.run_due()
        await assert_one_thread_with_one_prompt(app, world)


async def test_a_shared_summary_discord_stored_before_answering_503_appears_once(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await join(app, world)
        dm = world.fake.dm_channel(world.alice)
        await app.advance_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
        opened = await world.fake.click(world.alice, prompts(world)[0], label="Start check-in")
        saved = await world.fake.submit_modal(world.alice, dm, opened.modal, {"Goal 1": "Apply"})
        route = f"/channels/{world.channel.id}/messages"
        world.fake.fail_after_store("POST", route, status=503)
        with world.fake.expect_rejections():
            shared = await world.fake.click(
                world.alice, saved.message, label="Share a summary in #affirmations"
            )
        assert shared.ephemeral and "Shared in" in shared.content
        again = await world.fake.click(
            world.alice, saved.message, label="Share a summary in #affirmations"
        )
        assert again.ephemeral and "already shared" in again.content
        posts = [msg for msg in world.channel.messages if "week" in msg["content"]]
        assert len(posts) == 1 and posts[0]["mentions"] == []
