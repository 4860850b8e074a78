"""Forms are answered whenever Discord delivers them: after a restart, or long after opening.

A member may take an hour over a painful story; the bot may restart meanwhile. Discord keeps the
form open and sends every value typed, so the bot answers by the form's custom_id (see
bot/ui/modals.py), as it does for persistent buttons.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.ui.modals import FORM_CLOSED
from cogs.accountability import messages as acct_msg
from cogs.stories import messages as stories_msg
from tests.harness import running_bot
from tests.helpers.encouragement import shared_story
from tests.helpers.stories import STORY, configure, open_share, posts, story_world
from tests.helpers.ui import expire_open_views

STORY_VALUES = {stories_msg.FIELD_STORY: STORY, stories_msg.FIELD_STAGE: ["final_round"]}


async def test_a_story_form_opened_before_a_restart_is_accepted_after_it(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        await configure(w)
        opened = await open_share(w, w.alice)
        assert opened.modal is not None
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        answer = await w.fake.submit_modal(w.alice, w.channel, opened, STORY_VALUES)
        assert not answer.missed_deadline
        assert answer.ephemeral and stories_msg.ACK_FOOTER in (answer.content or "")
        await app.advance(seconds=120)
        (post,) = posts(w.stories)
        assert post["embeds"][0]["description"] == STORY


async def test_a_story_form_open_longer_than_fifteen_minutes_is_answered(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        opened = await open_share(w, w.alice)
        expire_open_views(app.bot)
        w.fake.advance_time(40 * 60)  # the /share interaction's token is long gone too
        await app.advance(minutes=40)

        answer = await w.fake.submit_modal(w.alice, w.channel, opened, STORY_VALUES)

        assert not answer.missed_deadline
        assert answer.ephemeral and stories_msg.ACK_FOOTER in (answer.content or "")
        await app.advance(seconds=120)
        assert len(posts(w.stories)) == 1


async def test_a_form_keeps_no_copy_in_memory_that_could_expire(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await open_share(w, w.alice)
        await w.fake.invoke(w.alice, w.channel, "checkin")
        assert app.bot._connection._view_store._modals == {}


async def test_a_checkin_form_opened_before_a_restart_is_recorded_after_it(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        opened = await world.fake.invoke(world.alice, world.channel, "checkin")
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        done = await world.fake.submit_modal(
            world.alice, world.channel, opened, {"Applications sent (0–100)": "4"}
        )
        assert done.ephemeral and "Checked in" in (done.content or "")
        row = await app.store.fetchone("SELECT applications FROM streak_checkins")
        assert row is not None and row["applications"] == 4


async def test_kind_words_written_across_a_restart_reach_the_thread(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        opened = await w.fake.click(w.bob, w.fake.message(post["id"]), label="Encourage")
        assert opened.modal is not None
    async with running_bot(w.fake, data_dir=tmp_path):
        done = await w.fake.submit_modal(
            w.bob, w.stories, opened, {"Your message": "You got so far. Proud of you."}
        )
        assert not done.missed_deadline and done.ephemeral
        assert any("Proud of you" in str(m) for m in thread.messages)


async def test_a_form_of_something_the_bot_no_longer_does_gets_a_kind_answer(
    world: Any, tmp_path: Path
) -> None:
    stale = {
        "custom_id": "story:retired:abc:0123abcd",
        "title": "Old form",
        "components": [
            {
                "type": 1,
                "components": [
                    {"type": 4, "custom_id": "text", "label": "Text", "style": 1},
                ],
            }
        ],
    }
    async with running_bot(world.fake, data_dir=tmp_path):
        answer = await world.fake.submit_modal(world.alice, world.channel, stale, {"Text": "hi"})
    assert answer.ephemeral and answer.content == FORM_CLOSED


def forged_form(custom_id: str, field: str) -> dict[str, Any]:
    """A form the bot never opened for this member: only its custom_id comes from the bot."""
    text_input = {"type": 4, "custom_id": field, "label": field, "style": 2, "required": False}
    return {
        "custom_id": custom_id,
        "title": "Forged",
        "components": [{"type": 1, "components": [text_input]}],
    }


def button_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row["components"]]


async def test_a_reject_form_submitted_by_someone_who_is_not_a_moderator_changes_nothing(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        await w.fake.submit_modal(w.alice, w.channel, await open_share(w, w.alice), STORY_VALUES)
        await app.advance(seconds=120)
        (queued,) = posts(w.mods)
        public_id = next(i for i in button_ids(queued) if i.startswith("story:reject:")).split(":")[
            2
        ]

        forged = forged_form(f"story:rejectform:{public_id}:0123abcd", "note")
        refused = await w.fake.submit_modal(w.bob, w.channel, forged, {"note": "no"})

        assert refused.ephemeral and refused.content == stories_msg.MODS_ONLY
        row = await app.store.fetchone("SELECT status FROM stories")
        assert row is not None and row["status"] != "rejected"


async def test_a_review_form_naming_another_week_is_refused(world: Any, tmp_path: Path) -> None:
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    async with running_bot(world.fake, data_dir=tmp_path, now=start) as app:
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="09:00"
        )
        await app.advance(days=1)
        (prompt,) = [m for m in world.fake.dm_messages(world.alice) if m.get("components")]
        week_id = next(i for i in button_ids(prompt) if i.startswith("acct:open:")).split(":")[2]

        forged = forged_form(f"acct:review:{week_id}-{week_id}:0123abcd", "reflection")
        dm = world.fake.dm_channel(world.alice)
        refused = await world.fake.submit_modal(world.alice, dm, forged, {"reflection": "x"})

        assert refused.ephemeral and refused.content == acct_msg.WEEK_GONE
        rows = await app.store.fetchall("SELECT reflection, reviewed_at FROM accountability_weeks")
        assert [tuple(r) for r in rows] == [(None, None)]


async def test_weekly_goals_written_across_a_restart_are_saved(world: Any, tmp_path: Path) -> None:
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    async with running_bot(world.fake, data_dir=tmp_path, now=start) as app:
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="09:00"
        )
        await app.advance(days=1)
        (prompt,) = [m for m in world.fake.dm_messages(world.alice) if m.get("components")]
        opened = await world.fake.click(world.alice, prompt, label="Start check-in")
        assert opened.modal is not None
    async with running_bot(world.fake, data_dir=tmp_path, now=start + timedelta(days=1)) as app:
        dm = world.fake.dm_channel(world.alice)
        saved = await world.fake.submit_modal(world.alice, dm, opened, {"Goal 1": "Two interviews"})
        assert "Two interviews" in (saved.content or "")
        row = await app.store.fetchone("SELECT text FROM accountability_goals")
        assert row is not None and row["text"] == "Two interviews"
