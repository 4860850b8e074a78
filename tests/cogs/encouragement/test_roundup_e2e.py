"""The weekly "you were not alone" roundup: counts only, once per week, across restarts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.harness import running_bot
from tests.helpers.encouragement import (
    encourage_post,
    shared_story,
    story_public_id,
)
from tests.helpers.stories import configure, story_world

MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # ISO week 2026-W10 starts that day
SECRET_STORY = "The recruiter at Northwind called me on my birthday to say no, after five rounds."


def roundups(channel: Any) -> list[dict[str, Any]]:
    return [m for m in channel.messages if "You were not alone" in (m.get("content") or "")]


async def test_roundup_counts_the_week_and_runs_once_across_a_restart(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    fake = w.fake
    async with running_bot(fake, data_dir=tmp_path, now=MONDAY) as app:
        await configure(w)
        first, _ = await shared_story(app, w, w.alice, text=SECRET_STORY)
        await app.advance(days=1)
        await shared_story(app, w, w.bob)
        await encourage_post(w, w.bob, first, "You are not alone.", anonymous=False)
        for member in (w.alice, w.bob, w.mod):
            me_too = f"enc:metoo:{story_public_id(first)}"
            await fake.click(member, fake.message(first["id"]), custom_id=me_too)

        # Monday 2 March 09:00 covered the week before (nothing happened): no post.
        assert roundups(w.stories) == []

        await app.advance_to(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
        assert roundups(w.stories) == []
        # Down over the due time; the start-up sweep posts it once.
        await app.stop()
        app.clock.set(datetime(2026, 3, 9, 9, 30, tzinfo=UTC))
        await app.start()
        posted = roundups(w.stories)
        assert len(posted) == 1
        text = posted[0]["content"]
        assert "2 stories were shared" in text
        assert "1 message of encouragement was sent" in text
        assert "“me too” was said 3 times" in text
        # Counts only: no names, no ids, no story text.
        for secret in ("bob", "alice", str(w.bob.id), str(w.alice.id), SECRET_STORY[:30]):
            assert secret not in text
        assert posted[0]["mention_everyone"] is False and posted[0]["mentions"] == []

        await app.restart()
        await app.advance_to(datetime(2026, 3, 15, 23, 0, tzinfo=UTC))
        assert len(roundups(w.stories)) == 1

        # The next week counts only its own activity.
        await shared_story(app, w, w.mod)
        await app.advance_to(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
        latest = roundups(w.stories)
        assert len(latest) == 2
        assert "1 story was shared" in latest[-1]["content"]
        assert "0 messages of encouragement were sent" in latest[-1]["content"]


async def test_roundup_can_be_turned_off(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    fake = w.fake
    async with running_bot(fake, data_dir=tmp_path, now=MONDAY) as app:
        await configure(w)
        await shared_story(app, w, w.alice)
        await encourage_post(w, w.bob, (await _first_post(w)), "Hugs.", anonymous=True)
        refused = await fake.invoke(
            world.alice, world.channel, "encouragement roundup", enabled=False
        )
        assert refused.ephemeral and "manage" in (refused.content or "").lower()
        off = await fake.invoke(world.mod, world.channel, "encouragement roundup", enabled=False)
        assert off.ephemeral and "off" in (off.content or "")
        await app.advance_to(datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
        assert roundups(w.stories) == []
        on = await fake.invoke(world.mod, world.channel, "encouragement roundup", enabled=True)
        assert on.ephemeral and "on" in (on.content or "")
        await encourage_post(w, w.bob, (await _first_post(w)), "Still here.", anonymous=True)
        await app.advance_to(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
        assert len(roundups(w.stories)) == 1  # back on: the next Monday has one


async def _first_post(w: Any) -> dict[str, Any]:
    return next(m for m in w.stories.messages if m.get("embeds"))


async def test_roundup_follows_the_servers_default_zone(world: Any, tmp_path: Path) -> None:
    from bot.guild_settings import GuildSettingsRepository

    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path, now=MONDAY) as app:
        await GuildSettingsRepository(app.store).set_default_timezone(
            w.guild.id, "America/New_York", app.now
        )
        await configure(w)
        await shared_story(app, w, w.alice)
        # Monday 9 March, 09:00 in New York is 13:00 UTC (daylight saving began on the 8th).
        await app.advance_to(datetime(2026, 3, 9, 12, 30, tzinfo=UTC))
        assert roundups(w.stories) == []
        await app.advance_to(datetime(2026, 3, 9, 13, 30, tzinfo=UTC))
        assert len(roundups(w.stories)) == 1
