"""Me too: one per member, toggles off, counted on the post, nobody sees who."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cogs.encouragement.helpers import button, encourage_id, me_too_id, post_story_directly
from tests.harness import running_bot


async def test_me_too_counts_once_per_member_and_toggles(world: Any, tmp_path: Path) -> None:
    fake, bob = world.fake, world.guild.add_member("bob")
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, world.channel, story_id=3)
        live = fake.message(post["id"])

        first = await fake.click(world.alice, live, custom_id=me_too_id(3))
        assert button(fake.message(post["id"]), me_too_id(3))["label"] == "Me too · 1"
        assert first.followups and first.followups[0]["flags"] & 64

        await fake.click(bob, fake.message(post["id"]), custom_id=me_too_id(3))
        assert button(fake.message(post["id"]), me_too_id(3))["label"] == "Me too · 2"

        # Alice again: taken off, not counted twice.
        await fake.click(world.alice, fake.message(post["id"]), custom_id=me_too_id(3))
        assert button(fake.message(post["id"]), me_too_id(3))["label"] == "Me too · 1"
        await fake.click(world.alice, fake.message(post["id"]), custom_id=me_too_id(3))
        assert button(fake.message(post["id"]), me_too_id(3))["label"] == "Me too · 2"

        rows = await app.store.fetchall("SELECT * FROM encouragement_me_too")
        assert len(rows) == 2
        stored = " ".join(str(tuple(r)) for r in rows)
        assert str(world.alice.id) not in stored and str(bob.id) not in stored
        # The Encourage button is still there after the count changed.
        assert button(fake.message(post["id"]), encourage_id(3))["label"] == "Encourage"


async def test_me_too_survives_a_restart(world: Any, tmp_path: Path) -> None:
    fake = world.fake
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, world.channel, story_id=5)
        await fake.click(world.alice, fake.message(post["id"]), custom_id=me_too_id(5))
        await app.restart()
        await fake.click(world.mod, fake.message(post["id"]), custom_id=me_too_id(5))
        assert button(fake.message(post["id"]), me_too_id(5))["label"] == "Me too · 2"
