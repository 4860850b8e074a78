"""An acknowledgement Discord refuses as too late (past the 3-second deadline): the member saw
"interaction failed", not "thank you", so the story is withdrawn. Sharing again posts it once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.cogs.stories.helpers import (
    STORY,
    StoryWorld,
    configure,
    longest_delays,
    open_share,
    posts,
    share,
    story_world,
)
from tests.harness import RunningBot, running_bot


async def _rows(app: RunningBot) -> list[Any]:
    return await app.store.fetchall("SELECT status FROM stories")


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
    """Wait up to 2 s for the bot to learn of Discord's 404 and withdraw."""
    for _ in range(100):
        if await condition():
            return
        await asyncio.sleep(0.02)


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

    async def withdrawn() -> bool:
        return bool(late.pending.late_callbacks) and not await _rows(app)

    await _soon(withdrawn)
    return late


async def test_a_story_whose_ack_came_too_late_is_withdrawn_and_a_retry_posts_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        late = await _late_share(app, w)
        assert late.pending.missed_deadline and late.pending.late_callbacks == 1
        assert await _rows(app) == []  # withdrawn: no row, no job
        assert await app.store.fetchall("SELECT 1 FROM scheduled_jobs") == []
        assert late.followups == []  # no error reply tried after the refusal either
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        # the member tries again, in time this time: one post
        answer = await share(w, w.alice)
        assert answer.ephemeral and msg.ACK_FOOTER in (answer.content or "")
        await app.advance(minutes=2)
        assert len(posts(w.stories)) == 1


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

        async def back_to_draft() -> bool:
            return [r["status"] for r in await _rows(app)] == ["draft"]

        await _soon(back_to_draft)
        assert [r["status"] for r in await _rows(app)] == ["draft"]
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        again = await w.fake.click(w.alice, nudged.message, label=msg.POST_ANYWAY)
        assert msg.ACK_FOOTER in (again.content or ""), again.content
        await app.advance(minutes=2)
        assert len(posts(w.stories)) == 1
