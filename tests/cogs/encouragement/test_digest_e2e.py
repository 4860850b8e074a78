"""The author's DM digest of new encouragement: opt-in, at most hourly, exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import running_bot
from tests.helpers.encouragement import encourage_post, shared_story
from tests.helpers.stories import configure, story_world


async def test_digest_reaches_the_author_without_anonymous_identities(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    carol = w.guild.add_member("carol", nick="Carol C.")
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice, dm=True)
        await encourage_post(
            w, w.bob, post, "You were so close. Next one is yours.", anonymous=False
        )
        await encourage_post(
            w, carol, post, "Sending a hug from someone who was there.", anonymous=True
        )
        assert w.fake.dm_messages(w.alice) == []  # gathered for a while first

        await app.advance(minutes=11)
        (digest,) = w.fake.dm_messages(w.alice)
        text = digest["content"]
        assert "Story #1" in text
        assert "You were so close. Next one is yours." in text and "— bob" in text
        assert "Sending a hug from someone who was there." in text and "— a member" in text
        for secret in ("carol", "Carol C.", str(carol.id)):
            assert secret not in text
        assert str(thread.id) in text  # the link to the thread
        # Nobody else got a DM, and nothing public says one was sent.
        assert w.fake.dm_messages(w.bob) == [] and w.fake.dm_messages(carol) == []

        # Within the hour: new words wait; a restart neither loses nor doubles them.
        await encourage_post(w, w.bob, post, "Still thinking of you.", anonymous=False)
        await app.advance(minutes=30)
        assert len(w.fake.dm_messages(w.alice)) == 1
        await app.restart()
        await app.advance(minutes=20)  # 50 minutes after the first digest
        assert len(w.fake.dm_messages(w.alice)) == 1
        await app.advance(minutes=15)  # past the hour
        digests = w.fake.dm_messages(w.alice)
        assert len(digests) == 2
        assert "Still thinking of you." in digests[-1]["content"]
        assert "You were so close" not in digests[-1]["content"]
        await app.advance(hours=3)
        assert len(w.fake.dm_messages(w.alice)) == 2


async def test_no_digest_without_the_opt_in(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, _thread = await shared_story(app, w, w.alice)
        await encourage_post(w, w.bob, post, "Rooting for you.", anonymous=False)
        await app.advance(hours=2)
        assert w.fake.dm_messages(w.alice) == []
        # Nothing of the kind words waits around for a digest that will never go.
        rows = await app.store.fetchall("SELECT body FROM encouragements")
        assert [r["body"] for r in rows] == [None]


async def test_digest_can_be_switched_in_mystories(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, _thread = await shared_story(app, w, w.alice)  # no DM opt-in at share time

        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        switches = await w.fake.click(w.alice, mine.message, label="Encouragement DMs")
        assert switches.ephemeral
        turned_on = await w.fake.click(w.alice, switches.message, label="Story #1: off")
        assert [c["label"] for row in turned_on.components for c in row["components"]] == [
            "Story #1: on"
        ]
        await encourage_post(w, w.bob, post, "Proud of you for sharing.", anonymous=False)
        await app.advance(minutes=11)
        assert len(w.fake.dm_messages(w.alice)) == 1

        turned_off = await w.fake.click(w.alice, turned_on.message, label="Story #1: on")
        assert [c["label"] for row in turned_off.components for c in row["components"]] == [
            "Story #1: off"
        ]
        await encourage_post(w, w.bob, post, "Thinking of you.", anonymous=False)
        await app.advance(hours=2)
        assert len(w.fake.dm_messages(w.alice)) == 1
