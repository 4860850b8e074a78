"""/share end to end: the post, its anonymity, delays, nudges, quotas, crisis words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.cogs.stories.helpers import (
    STORY,
    configure,
    posts,
    share,
    share_and_post,
    story_world,
)
from tests.harness import running_bot


async def test_share_posts_the_story_with_its_label_and_stage(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        answer = await share(w, w.alice, takeaway="Ask for feedback early.", help="listening")
        assert answer.ephemeral
        assert "within a couple of minutes" in answer.content
        assert posts(w.stories) == []  # stored, not posted yet: the runner posts it
        await app.advance(seconds=120)
        (post,) = posts(w.stories)
        embed = post["embeds"][0]
        assert embed["title"] == "Story #1"
        assert embed["description"] == STORY
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields[msg.POST_STAGE] == "Final round"
        assert fields[msg.POST_HELP] == "Just listening"
        assert fields[msg.POST_TAKEAWAY] == "Ask for feedback early."
        assert "interaction" not in post and "interaction_metadata" not in post
        row = await app.store.fetchone("SELECT status, channel_id, message_id FROM stories")
        assert row is not None and row["status"] == "posted"
        assert (row["channel_id"], row["message_id"]) == (w.stories.id, int(post["id"]))


async def test_no_author_data_in_anything_the_bot_sent(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        assert len(posts(w.stories)) == 1
        secrets = {str(w.alice.id), w.alice.name}
        for request in w.fake.requests:
            body = json.dumps(request.json) if request.json is not None else ""
            sent = f"{request.path} {request.query} {body}"
            for secret in secrets:
                assert secret not in sent, (request.method, request.path)
