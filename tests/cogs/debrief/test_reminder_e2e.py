"""Feedback reminders: an opt-in DM at 09:00 in the member's zone, through the engine."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cogs.debrief import messages as m
from tests.harness import running_bot
from tests.helpers.debrief import START, THOUGHTS, write_debrief


async def remind(world: Any, saved: Any, values: dict[str, Any] | None = None) -> Any:
    form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_REMIND)
    return await world.fake.submit_modal(world.alice, world.channel, form.modal, values or {})


def reminders(world: Any, member: Any = None) -> list[dict[str, Any]]:
    """The reminder DMs a member got (answered ones too)."""
    dms = world.fake.dm_messages(member or world.alice)
    return [d for d in dms if "gentle check-in" in (d.get("content") or "")]


async def test_the_reminder_comes_once_at_nine_in_the_members_zone_across_restarts(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Europe/Paris")
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        answer = await remind(world, saved, {"days": ["3"]})
        assert answer.ephemeral and "Europe/Paris" in answer.content
        # Thursday 09:00 in Paris is 08:00 UTC.
        due = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
        await app.advance_to(due - timedelta(minutes=1))
        assert reminders(world) == []
        await app.restart()
        await app.advance_to(due + timedelta(minutes=1))
        (dm,) = reminders(world)
        assert "Product designer at Acme Robotics" in dm["content"]
        labels = [c["label"] for row in dm["components"] for c in row["components"]]
        assert labels == [m.BUTTON_HEARD, m.BUTTON_NO_ANSWER, m.BUTTON_STOP]
        await app.restart()
        await app.advance(hours=3)
        assert len(reminders(world)) == 1
        # The engine's rows name no member: the key is the reminder's random id.
        rows = await app.store.fetchall(
            "SELECT key, rule FROM scheduled_jobs WHERE kind = 'debrief.reminder' "
            "UNION ALL SELECT key, '' FROM job_runs WHERE kind = 'debrief.reminder'"
        )
        assert rows and all(str(world.alice.id) not in f"{r['key']}{r['rule']}" for r in rows)


async def test_no_answer_asks_once_more_a_week_later_then_stops(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        answer = await remind(world, saved, {"time": "10:30"})
        assert "UTC" in answer.content and "/timezone set" in answer.content
        await app.advance_to(datetime(2026, 3, 9, 10, 31, tzinfo=UTC))  # 7 days, 10:30 UTC
        (first,) = reminders(world)
        clicked = await world.fake.click(world.alice, first, label=m.BUTTON_NO_ANSWER)
        assert m.ANSWER_NO_ANSWER in (clicked.content or "")
        assert clicked.components == []  # answered: no buttons left to press twice
        await app.advance_to(datetime(2026, 3, 16, 10, 31, tzinfo=UTC))
        assert len(reminders(world)) == 2
        second = reminders(world)[-1]
        assert "one last gentle check-in" in second["content"]
        last = await world.fake.click(world.alice, second, label=m.BUTTON_NO_ANSWER)
        assert m.ANSWER_NO_ANSWER_LAST in (last.content or "")
        await app.advance(days=21)
        assert len(reminders(world)) == 2


async def test_stop_reminding_me_stops_it(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        await remind(world, saved, {"days": ["14"]})
        await app.advance(days=14, hours=2)
        (dm,) = reminders(world)
        stopped = await world.fake.click(world.alice, dm, label=m.BUTTON_STOP)
        assert m.ANSWER_STOPPED in (stopped.content or "")
        await app.advance(days=21)
        assert len(reminders(world)) == 1


async def test_heard_back_counts_join_the_members_own_streak_show_only_when_asked(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
        await world.fake.submit_modal(world.alice, world.channel, form.modal, {"tone": ["brief"]})
        await remind(world, saved, {"days": ["3"]})
        await app.advance(days=3, hours=2)
        (dm,) = reminders(world)
        heard = await world.fake.click(world.alice, dm, label=m.BUTTON_HEARD)
        assert m.ANSWER_HEARD in (heard.content or "")
        line = m.STREAK_LINE.format(asked=1, answers=1)

        private = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert line not in json.dumps(private.embeds, ensure_ascii=False)  # not opted in yet
        counts = await world.fake.invoke(
            world.alice, world.channel, "debrief counts", in_streak=True
        )
        assert "Answers that helped: **1**" in counts.content and "**yes**" in counts.content
        private = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert line in private.embeds[0]["description"]
        shared = await world.fake.invoke(world.alice, world.channel, "streak show", share=True)
        assert not shared.ephemeral
        assert "Feedback asked" not in json.dumps(shared.embeds, ensure_ascii=False)
        assert all("Feedback asked" not in json.dumps(p) for p in world.channel.messages)
        # Nobody else's view carries Alice's counts.
        theirs = await world.fake.invoke(world.mod, world.channel, "streak show")
        assert "Feedback asked" not in json.dumps(theirs.embeds, ensure_ascii=False)


async def test_with_dms_closed_the_member_is_told_at_their_next_command(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        await remind(world, saved, {"days": ["3"]})
        world.fake.close_dms(world.alice)
        with world.fake.expect_rejections():
            await app.advance(days=3, hours=2)
        assert reminders(world) == []
        # A command that answers with a form has no message to follow: the notice waits.
        form = await world.fake.invoke(world.alice, world.channel, "debrief new")
        assert form.modal is not None and form.followups == []
        told = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert [f["content"] for f in told.followups] == [m.DMS_CLOSED_NOTICE]
        assert told.followups[0]["flags"] & 64
        again = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert again.followups == []  # once


async def test_a_reminder_answer_from_someone_else_is_refused(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        await remind(world, saved, {"days": ["3"]})
        await app.advance(days=3, hours=2)
        (dm,) = reminders(world)
        # The moderator's own reminder DM, carrying the ids of Alice's buttons.
        theirs = await write_debrief(world.fake, world.mod, world.channel, company="Mod Corp")
        form = await world.fake.click(world.mod, theirs.message, label=m.BUTTON_REMIND)
        await world.fake.submit_modal(world.mod, world.channel, form.modal, {"days": ["3"]})
        await app.advance(days=3, hours=2)
        (own,) = reminders(world, world.mod)
        stored = world.fake.message(int(own["id"]))
        stored["components"] = dm["components"]
        refused = await world.fake.click(world.mod, stored, label=m.BUTTON_STOP)
        assert refused.content == m.NOT_FOUND
        mine = await world.fake.click(world.alice, dm, label=m.BUTTON_HEARD)
        assert m.ANSWER_HEARD in (mine.content or "")


async def test_bad_reminder_time_is_refused_kindly(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        answer = await remind(world, saved, {"time": "25:99"})
        assert answer.ephemeral and "Nothing changed" in answer.content
        await app.advance(days=15)
        assert reminders(world) == []


async def test_a_waiting_reminder_follows_the_member_to_a_new_time_zone(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        saved = await write_debrief(world.fake, world.alice, world.channel)
        await remind(world, saved, {"days": ["3"]})  # Thursday 09:00 UTC
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Asia/Tokyo")
        # Thursday 09:00 in Tokyo is 00:00 UTC.
        await app.advance_to(datetime(2026, 3, 5, 0, 1, tzinfo=UTC))
        assert len(reminders(world)) == 1
        await app.advance_to(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
        assert len(reminders(world)) == 1
