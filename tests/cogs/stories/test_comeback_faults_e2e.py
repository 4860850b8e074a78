"""The comeback's exactly-once: an update is posted once even when Discord stores the post and
then answers with an error, and across a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cogs.stories import messages as msg
from tests.harness import running_bot
from tests.helpers.encouragement import shared_story
from tests.helpers.stories import configure, story_world

UPDATE = "I got the offer. Took a while, but here we are. Thank you for the kind words."


def updates_in(thread: Any) -> list[dict[str, Any]]:
    return [
        m
        for m in thread.messages
        if any("Update from OP" in (e.get("title") or "") for e in m.get("embeds") or [])
    ]


async def submit_update(w: Any, thread: Any) -> Any:
    opened = await w.fake.invoke(w.alice, thread, "comeback")
    assert opened.modal is not None, opened.content
    values = {msg.CB_FIELD_TEXT: UPDATE, msg.CB_FIELD_KIND: ["offer"], msg.CB_FIELD_CARD: ["yes"]}
    answer = await w.fake.submit_modal(w.alice, thread, opened, values)
    assert msg.CB_ACK_FOOTER in (answer.content or ""), answer.content
    return answer


@pytest.mark.slow
async def test_a_5xx_after_the_post_is_stored_posts_the_update_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        w.fake.fail_after_store("POST", f"/channels/{thread.id}/messages", status=500)
        hits = w.fake.nonce_hits
        await submit_update(w, thread)
        await app.advance(seconds=120)
        await app.advance(minutes=10)  # whatever retry was due has run
        assert len(updates_in(thread)) == 1
        assert w.fake.nonce_hits > hits  # the retry found the first post, not a new one
        row = await app.store.fetchone("SELECT status, message_id FROM story_updates")
        assert row is not None and row["status"] == "posted"
        assert row["message_id"] == int(updates_in(thread)[0]["id"])


async def test_an_update_stored_before_a_restart_is_posted_once_after_it(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, max_delay=60)
        _, thread = await shared_story(app, w, w.alice)
        await submit_update(w, thread)
        await app.stop()  # down before it was due: the job is in the database
        app.clock.set(app.clock.now() + timedelta(minutes=5))
        await app.start()
        await app.advance(minutes=5)
        await app.restart()
        await app.advance(hours=1)
        assert len(updates_in(thread)) == 1
