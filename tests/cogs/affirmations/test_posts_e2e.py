"""What a post contains: the embed, today's step, mentions, and the deck's rotation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.settings import CONTENT_DIR
from cogs.affirmations.content import AffirmationContent
from tests.harness import running_bot
from tests.helpers.affirmations import posts, setup, texts, try_setup

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday


def sent_payloads(world: Any) -> list[dict[str, Any]]:
    return [
        r.json
        for r in world.fake.requests
        if r.method == "POST" and r.path == f"/channels/{world.channel.id}/messages"
    ]


async def test_post_has_the_affirmation_and_todays_step(world: Any, tmp_path: Path) -> None:
    content = AffirmationContent.load(CONTENT_DIR)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await app.advance(days=7)
        assert len(posts(world.channel)) == 7
        for post in posts(world.channel):
            embed = post["embeds"][0]
            assert embed["description"] in {a.text for a in content.affirmations}
            assert embed["fields"][0]["name"].startswith("Today’s step")
        steps = [p["embeds"][0]["fields"][0]["name"] for p in posts(world.channel)]
        assert steps[0].endswith("Affirm yourself")  # Monday
        assert steps[6].endswith("Share your journey")  # Sunday
        assert len(set(steps)) == 7


async def test_posts_mention_nobody_by_default(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await app.advance(days=1)
        (payload,) = sent_payloads(world)
        assert payload["allowed_mentions"]["parse"] == []
        assert not payload["allowed_mentions"].get("roles")
        assert posts(world.channel)[0]["mention_roles"] == []


async def test_configured_role_is_the_only_mention_allowed(world: Any, tmp_path: Path) -> None:
    role = world.guild.create_role("job-seekers", mentionable=True)
    other = world.guild.create_role("mods", mentionable=True)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world, role=role)
        await app.advance(days=1)
        (payload,) = sent_payloads(world)
        mentions = payload["allowed_mentions"]
        assert mentions["parse"] == []
        assert [int(r) for r in mentions["roles"]] == [role.id]
        assert not mentions.get("users")
        post = posts(world.channel)[0]
        assert [int(r) for r in post["mention_roles"]] == [role.id]
        assert str(other.id) not in post["content"]
        assert post["mention_everyone"] is False


async def test_everyone_role_is_refused_as_a_mention(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        result = await try_setup(world, role=world.guild.everyone_role)
        assert result.ephemeral
        assert await app.store.fetchone("SELECT 1 FROM affirmation_schedules") is None


# Two full decks are ~560 real posts through the local Discord, each paced (45 a second) and
# checked against Discord's spec: about 13 s of real time.
@pytest.mark.slow
async def test_deck_never_repeats_across_two_full_cycles(world: Any, tmp_path: Path) -> None:
    content = AffirmationContent.load(CONTENT_DIR)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        own = "Whatever the inbox says this week, this circle is glad you are here."
        await world.fake.invoke(world.mod, world.channel, "affirmations add", text=own)
        await setup(app, world)
        pool = {a.text for a in content.affirmations} | {own}
        size = len(pool)
        await app.advance(days=2 * size)
        seen = texts(world.channel)
        assert len(seen) == 2 * size
        first, second = seen[:size], seen[size:]
        assert set(first) == pool and len(set(first)) == size
        assert set(second) == pool and len(set(second)) == size
        assert second[0] != first[-1]
