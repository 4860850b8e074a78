"""Not approving a story's update: the moderator may add a note (the shared note form, as for a
story), and the author hears it kindly: by DM if they asked for DMs with their story, and in
/mystories → Update either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import StoryWorld, configure, posts, share, story_world

UPDATE = "Three weeks later I got an offer from a team that really wanted me. Thank you all."
NOTE = "@everyone Please leave out the **team name**,\x00 then share it again."


async def _update_in_queue(app: RunningBot, w: StoryWorld, *, dm: bool) -> dict[str, Any]:
    """Alice's story is approved and up; her update waits in the moderators' queue."""
    await configure(w, mod_channel=w.mods, approval=True)
    answer = await share(w, w.alice)
    if dm:
        await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)
    await app.advance(seconds=120)
    await w.fake.click(w.mod, posts(w.mods)[-1], label=msg.APPROVE)
    await app.advance(seconds=5)
    (post,) = posts(w.stories)
    thread = w.guild.get_channel(int(post["id"]))
    opened = await w.fake.invoke(w.alice, thread, "comeback")
    assert opened.modal is not None, opened.content
    values = {msg.CB_FIELD_TEXT: UPDATE, msg.CB_FIELD_KIND: ["offer"], msg.CB_FIELD_CARD: ["yes"]}
    held = await w.fake.submit_modal(w.alice, thread, opened, values)
    assert held.content.startswith(msg.CB_ACK_REVIEW), held.content
    await app.advance(seconds=120)
    queued = w.mods.messages[-1]
    assert "An update on Story #1 to approve" in queued["embeds"][0]["title"]
    return queued


async def _updates_panel(w: StoryWorld) -> str:
    mine = await w.fake.invoke(w.alice, w.channel, "mystories")
    panel = await w.fake.click(w.alice, mine.message, label="Update 1")
    return str(panel.content)


def _update_dms(w: StoryWorld) -> list[dict[str, Any]]:
    return [m for m in w.fake.dm_messages(w.alice) if "Your update on" in m["content"]]


async def test_a_note_reaches_the_author_by_dm_and_in_mystories(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        queued = await _update_in_queue(app, w, dm=True)
        opened = await w.fake.click(w.mod, queued, label=msg.REJECT)
        assert opened.modal is not None, opened.content
        done = await w.fake.submit_modal(w.mod, w.mods, opened, {msg.REJECT_FIELD: NOTE})
        assert done.followups and msg.REJECTED_NOTED in done.followups[0]["content"]
        decided = w.fake.message(int(queued["id"]))
        assert decided is not None and "with a note to the author" in decided["content"]
        assert decided.get("components") in (None, [])  # decided: no buttons left
        await app.advance(minutes=5)
        assert [m for m in w.mods.messages if "Update from OP" in str(m.get("embeds"))] == []

        (dm,) = _update_dms(w)
        assert "Story #1" in dm["content"] and "team name" in dm["content"]
        assert dm["mentions"] == [] and not dm.get("mention_everyone")
        assert "@everyone" not in dm["content"]  # cleaned as a story's note is
        panel = await _updates_panel(w)
        assert msg.CB_STATUS["rejected"] in panel and "team name" in panel
        row = await app.store.fetchone("SELECT status, decision_note FROM story_updates")
        assert row is not None and row["status"] == "rejected"
        assert "team name" in row["decision_note"] and "\x00" not in row["decision_note"]


async def test_without_a_note_or_dms_the_author_sees_it_only_in_mystories(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        queued = await _update_in_queue(app, w, dm=False)
        refused = await w.fake.click(w.alice, queued, label=msg.REJECT)
        assert refused.modal is None and refused.content == msg.MODS_ONLY
        opened = await w.fake.click(w.mod, queued, label=msg.REJECT)
        assert opened.modal is not None
        done = await w.fake.submit_modal(w.mod, w.mods, opened, {msg.REJECT_FIELD: "   "})
        assert done.followups and msg.REJECTED_NO_NOTE in done.followups[0]["content"]
        decided = w.fake.message(int(queued["id"]))
        assert decided is not None and "with a note" not in decided["content"]
        assert _update_dms(w) == []
        panel = await _updates_panel(w)
        assert msg.CB_STATUS["rejected"] in panel and "note" not in panel
        # A second decision on the same form changes nothing.
        again = await w.fake.submit_modal(w.mod, w.mods, opened, {msg.REJECT_FIELD: "late"})
        assert again.content == msg.ALREADY_DECIDED
        row = await app.store.fetchone("SELECT decision_note FROM story_updates")
        assert row is not None and row["decision_note"] is None


async def test_the_dm_says_no_note_kindly(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        queued = await _update_in_queue(app, w, dm=True)
        opened = await w.fake.click(w.mod, queued, label=msg.REJECT)
        await w.fake.submit_modal(w.mod, w.mods, opened, {msg.REJECT_FIELD: ""})
        (dm,) = _update_dms(w)
        assert "still counts" in dm["content"] and "moderator said" not in dm["content"]
