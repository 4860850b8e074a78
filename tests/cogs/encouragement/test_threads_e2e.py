"""Each posted story gets its thread and its buttons; kind words land there, signed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cogs.encouragement.helpers import (
    button,
    dispatched,
    encourage,
    encourage_id,
    me_too_id,
    post_story_directly,
)
from tests.harness import running_bot


async def test_a_story_in_a_text_channel_gets_a_thread_and_buttons(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, world.channel, story_id=42, label="Story #42")
        thread = world.guild.get_channel(int(post["id"]))
        assert thread is not None and thread.parent is world.channel
        assert thread.name == "Story #42 · Onsite"
        assert thread.auto_archive_duration == 10080
        assert button(post, encourage_id(42))["label"] == "Encourage"
        assert button(post, me_too_id(42))["label"] == "Me too"


async def test_encourage_named_and_anonymous(world: Any, tmp_path: Path) -> None:
    fake, bob = world.fake, world.guild.add_member("bob", nick="Bobby")
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, world.channel, story_id=7)
        thread = world.guild.get_channel(int(post["id"]))

        named = await encourage(
            fake, world.guild, bob, post, 7, "You did so well to get that far.", anonymous=False
        )
        assert named.ephemeral and "thread" in (named.content or "")
        signed = thread.messages[-1]
        assert "Bobby" in signed["content"]
        assert "You did so well to get that far." in signed["content"]

        anon = await encourage(
            fake, world.guild, world.alice, post, 7, "Rooting for you @everyone", anonymous=True
        )
        assert anon.ephemeral and "a member" in (anon.content or "")
        unsigned = thread.messages[-1]
        assert "a member" in unsigned["content"]
        assert "alice" not in unsigned["content"].lower()
        assert str(world.alice.id) not in unsigned["content"]
        assert unsigned["mention_everyone"] is False
        # Posted by the bot with channel.send, never as the interaction's answer.
        assert "interaction_metadata" not in unsigned and "interaction" not in unsigned
        bodies = [str(r.json) for r in fake.requests if r.path.endswith("/messages")]
        assert not any(str(world.alice.id) in b for b in bodies)


async def test_a_deleted_story_takes_its_thread_and_kind_words_along(
    world: Any, tmp_path: Path
) -> None:
    fake = world.fake
    async with running_bot(fake, data_dir=tmp_path) as app:
        post = await post_story_directly(app, world.channel, story_id=8)
        await encourage(fake, world.guild, world.alice, post, 8, "Hang in there.", anonymous=True)
        await dispatched(app, "story_deleted", 8)
        thread = world.guild.get_channel(int(post["id"]))
        assert thread is None or thread.deleted
        assert await app.store.fetchall("SELECT * FROM encouragements") == []
        assert await app.store.fetchall("SELECT * FROM encouragement_stories") == []
