"""Limits that a burst must not walk through: forms submitted at once meet the cooldown and the
daily limit as if they came one by one, and one form delivered twice is one story."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import STORY, StoryWorld, configure, open_share, posts, story_world


def _values(n: int) -> dict[str, Any]:
    return {msg.FIELD_STORY: f"{STORY} (take {n})", msg.FIELD_STAGE: ["onsite"]}


async def _submit_at_once(w: StoryWorld, count: int) -> list[Any]:
    """`count` forms opened one after another, then all submitted together."""
    opened = [await open_share(w, w.alice) for _ in range(count)]
    assert all(o.modal is not None for o in opened)
    return list(
        await asyncio.gather(
            *(
                w.fake.submit_modal(w.alice, w.channel, form, _values(n))
                for n, form in enumerate(opened)
            )
        )
    )


async def _stories(app: RunningBot) -> int:
    row = await app.store.fetchone("SELECT COUNT(*) FROM stories WHERE status != 'draft'")
    return int(row[0]) if row else 0


async def test_twenty_forms_at_once_inside_the_cooldown_make_one_story(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=60, daily_limit=3)
        answers = await _submit_at_once(w, 20)
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1
        assert await _stories(app) == 1
        thanked = [a for a in answers if msg.ACK_FOOTER in (a.content or "")]
        refused = [a for a in answers if a not in thanked]
        assert len(thanked) == 1 and len(refused) == 19
        for answer in refused:  # each kindly, privately, and saying when
            assert answer.ephemeral and "You can share again <t:" in (answer.content or "")


async def test_twenty_forms_at_once_meet_the_daily_limit(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0, daily_limit=3)
        answers = await _submit_at_once(w, 20)
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 3
        assert await _stories(app) == 3
        refused = [a for a in answers if msg.ACK_FOOTER not in (a.content or "")]
        assert len(refused) == 17
        for answer in refused:
            content = answer.content or ""
            assert "3 stories today" in content and "You can share again <t:" in content


async def test_a_daily_limit_of_one_is_said_in_the_singular(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        await configure(w, cooldown=0, daily_limit=1)
        await _submit_at_once(w, 1)
        refused = await open_share(w, w.alice)
        assert refused.modal is None
        assert "You’ve shared 1 story today" in (refused.content or "")


async def test_one_form_delivered_twice_at_once_is_one_story(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0, daily_limit=5)  # only the form's identity stops it
        opened = await open_share(w, w.alice)
        first, second = await asyncio.gather(
            w.fake.submit_modal(w.alice, w.channel, opened, _values(1)),
            w.fake.submit_modal(w.alice, w.channel, opened, _values(1)),
        )
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1
        assert await _stories(app) == 1
        contents = sorted([first.content or "", second.content or ""])
        assert msg.ALREADY_RECEIVED in contents
        assert any(msg.ACK_FOOTER in c for c in contents)
        # a new form is a new story
        again = await open_share(w, w.alice)
        later = await w.fake.submit_modal(w.alice, w.channel, again, _values(2))
        assert msg.ACK_FOOTER in (later.content or "")
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 2


async def test_one_form_delivered_again_later_is_still_one_story(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0, daily_limit=5)
        opened = await open_share(w, w.alice)
        first = await w.fake.submit_modal(w.alice, w.channel, opened, _values(1))
        assert msg.ACK_FOOTER in (first.content or "")
        await app.advance(minutes=5)
        again = await w.fake.submit_modal(w.alice, w.channel, opened, _values(1))
        assert again.ephemeral and again.content == msg.ALREADY_RECEIVED
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1
        assert await _stories(app) == 1
