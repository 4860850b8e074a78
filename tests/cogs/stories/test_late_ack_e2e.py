"""An acknowledgement Discord refuses as too late (past the 3-second deadline): the member saw
"interaction failed", not "thank you", so the story is not posted but kept as a draft; their
next /share offers it back (post it, edit it or discard it), and posting it posts it once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import (
    STORY,
    StoryWorld,
    configure,
    longest_delays,
    open_share,
    posts,
    share,
    story_world,
)


async def _rows(app: RunningBot) -> list[Any]:
    return await app.store.fetchall("SELECT status, ack_state FROM stories")


@contextmanager
def _past_deadline(w: StoryWorld) -> Iterator[None]:
    """Discord's 3-second deadline is already over for what is sent inside."""
    before = w.fake.interactions.deadline
    w.fake.interactions.deadline = 0.0
    try:
        yield
    finally:
        w.fake.interactions.deadline = before


async def _soon(condition: Callable[[], Awaitable[bool]]) -> None:
    """Wait up to 2 s for the bot to learn of Discord's 404 and keep the story back."""
    for _ in range(100):
        if await condition():
            return
        await asyncio.sleep(0.02)


async def _unconfirmed(app: RunningBot) -> bool:
    return [tuple(r) for r in await _rows(app)] == [("draft", "unconfirmed")]


async def _late_share(app: RunningBot, w: StoryWorld) -> Any:
    """/share, then the modal submitted while Discord's deadline is (made) already over."""
    opened = await open_share(w, w.alice)
    assert opened.modal is not None
    with _past_deadline(w):
        late = await w.fake.submit_modal(
            w.alice,
            w.channel,
            opened,
            {
                msg.FIELD_STORY: STORY,
                msg.FIELD_STAGE: ["onsite"],
            },
        )
    await _soon(lambda: _unconfirmed(app))
    return late


async def test_a_story_whose_ack_came_too_late_is_kept_back_and_offered_again(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        late = await _late_share(app, w)
        assert late.pending.missed_deadline and late.pending.late_callbacks == 1
        assert await _unconfirmed(app)  # kept as a draft, not posted, nothing scheduled
        assert await app.store.fetchall("SELECT 1 FROM scheduled_jobs") == []
        assert late.followups == []  # no error reply tried after the refusal either
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        # the member's next /share offers it back instead of a blank form
        offer = await open_share(w, w.alice)
        assert offer.modal is None and offer.ephemeral
        assert "wasn’t confirmed" in (offer.content or "")
        assert "six weeks of interviews" in (offer.content or "")
        labels = [c["label"] for row in offer.components for c in row["components"]]
        assert labels == [msg.POST_IT, msg.EDIT_IT, msg.DISCARD_IT]
        # posting it is a fresh submission: the kept story does not count against the limits
        posted = await w.fake.click(w.alice, offer.message, label=msg.POST_IT)
        assert msg.ACK_FOOTER in (posted.content or ""), posted.content
        await app.advance(minutes=2)
        assert len(posts(w.stories)) == 1
        assert [tuple(r) for r in await _rows(app)] == [("posted", None)]
        # nothing left to offer: the next /share is the form
        assert (await open_share(w, w.alice)).modal is None  # the cooldown, said kindly
        row = await app.store.fetchone("SELECT COUNT(*) FROM stories")
        assert row is not None and row[0] == 1


async def test_an_unconfirmed_story_can_be_edited_or_discarded(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, max_delay=60)
        await _late_share(app, w)
        offer = await open_share(w, w.alice)
        edit = await w.fake.click(w.alice, offer.message, label=msg.EDIT_IT)
        assert edit.modal is not None  # the form comes back filled in
        fields = json.dumps(edit.modal["components"])
        assert "six weeks of interviews" in fields
        discarded = await w.fake.click(w.alice, offer.message, label=msg.DISCARD_IT)
        assert discarded.content == msg.DISCARDED
        assert await _rows(app) == []
        assert (await open_share(w, w.alice)).modal is not None  # a fresh form now


async def test_a_late_ack_for_post_anyway_leaves_the_draft_to_post_again(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        text = STORY + " Initech called me on 2026-02-27."
        nudged = await share(w, w.alice, text=text, company="Initech")
        assert "company name" in (nudged.content or ""), nudged.content  # a draft: post anyway?
        with _past_deadline(w):
            await w.fake.click(w.alice, nudged.message, label=msg.POST_ANYWAY)
        await _soon(lambda: _unconfirmed(app))
        assert await _unconfirmed(app)
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        again = await w.fake.click(w.alice, nudged.message, label=msg.POST_ANYWAY)
        assert msg.ACK_FOOTER in (again.content or ""), again.content
        await app.advance(minutes=2)
        assert len(posts(w.stories)) == 1


async def test_a_thank_you_stored_by_discord_despite_a_5xx_still_posts_the_story(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, max_delay=60)
        opened = await open_share(w, w.alice)
        w.fake.fail_after_store(
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback", status=500
        )
        with w.fake.expect_rejections():  # discord.py's retry is refused: already answered
            answer = await w.fake.submit_modal(
                w.alice, w.channel, opened, {msg.FIELD_STORY: STORY, msg.FIELD_STAGE: ["onsite"]}
            )
            for _ in range(100):  # discord.py waits about a second before its retry
                rows = [tuple(r) for r in await _rows(app)]
                if rows != [("draft", "awaiting")]:
                    break
                await asyncio.sleep(0.05)
        assert msg.ACK_FOOTER in (answer.content or "")  # the member saw the thank-you
        assert [tuple(r) for r in await _rows(app)] == [("scheduled", None)]
        await app.advance(minutes=2)
        assert len(posts(w.stories)) == 1
