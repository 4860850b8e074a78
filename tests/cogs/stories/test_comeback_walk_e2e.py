"""/comeback walked as a moderator, the server's owner, a stranger and from DMs, and with the
worst a member can type: only the author in their story's thread gets the form, and what is
posted pings nobody, carries no direction override or control character and keeps no link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cogs.stories import messages as msg
from fakecord import InvocationError
from tests.harness import running_bot
from tests.helpers.encouragement import shared_story
from tests.helpers.stories import configure, story_world


def _update_posts(thread: Any) -> list[dict[str, Any]]:
    return [
        m
        for m in thread.messages
        if any("Update from OP" in (e.get("title") or "") for e in m.get("embeds") or [])
    ]


async def _submit(w: Any, thread: Any, text: str) -> Any:
    opened = await w.fake.invoke(w.alice, thread, "comeback")
    assert opened.modal is not None, opened.content
    values = {msg.CB_FIELD_TEXT: text, msg.CB_FIELD_KIND: ["offer"], msg.CB_FIELD_CARD: ["yes"]}
    return await w.fake.submit_modal(w.alice, thread, opened, values)


async def test_nobody_but_the_author_gets_the_form_anywhere(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        _, thread = await shared_story(app, w, w.alice)
        for who in (w.mod, w.guild.owner, w.bob):
            refused = await w.fake.invoke(who, thread, "comeback")
            assert refused.ephemeral and refused.modal is None
            assert refused.content == msg.CB_NOT_AUTHOR
        for channel in (w.channel, w.stories, w.mods):
            elsewhere = await w.fake.invoke(w.alice, channel, "comeback")
            assert elsewhere.modal is None and elsewhere.content == msg.CB_OUTSIDE_THREAD
        with pytest.raises(InvocationError, match="not available in DMs"):
            await w.fake.invoke(w.alice, w.fake.dm_channel(w.alice), "comeback")
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("    ", msg.CB_EMPTY),
        ("\u200b\u200d\ufeff\u2060", msg.CB_EMPTY),
        ("😀🎉👩‍👩‍👧🎉🎉🎉", "a few words of your own"),
        ("o\u200bk\u200b", "a few words of your own"),
    ],
)
async def test_nothing_of_ones_own_is_refused_kindly_and_kept_nowhere(
    world: Any, tmp_path: Path, text: str, refusal: str
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        answer = await _submit(w, thread, text)
        assert answer.ephemeral and refusal in answer.content
        await app.advance(seconds=120)
        assert _update_posts(thread) == []
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None


async def test_the_worst_text_is_posted_inert(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        _, thread = await shared_story(app, w, w.alice)
        text = (
            "\u202e@everyone @here <@123456789012345678> <@&1234> I got\x00 the offer! "
            "<script>alert(1)</script> [click](https://evil.example) discord.gg/abc " + "x" * 800
        )
        answer = await _submit(w, thread, text)
        assert msg.CB_ACK_FOOTER in (answer.content or ""), answer.content
        await app.advance(seconds=120)
        (post,) = _update_posts(thread)
        body = post["embeds"][0]["description"]
        assert post["mentions"] == [] and not post.get("mention_everyone")
        assert post["_allowed_mentions"] == {"parse": []}
        assert "\u202e" not in body and "\x00" not in body
        assert "@everyone" not in body and "<@123456789012345678>" not in body
        assert "evil.example" not in body and "discord.gg" not in body
        assert "I got the offer!" in body and len(body) <= 4096
        opened = await w.fake.click(w.bob, post, label=msg.REPORT)
        assert opened.modal is not None
        reason = {msg.REPORT_FIELD: "\u202e\x00 @everyone not ok"}
        thanks = await w.fake.submit_modal(w.bob, thread, opened, reason)
        assert thanks.content == msg.REPORT_THANKS
        row = await app.store.fetchone("SELECT reason FROM story_update_reports")
        assert row is not None and "\x00" not in row["reason"]
