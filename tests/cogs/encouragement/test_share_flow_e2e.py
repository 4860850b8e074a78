"""Peer encouragement on stories shared through the real /share flow, end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cogs.stories import messages as stories_msg
from tests.harness import running_bot
from tests.helpers.encouragement import encourage_post, shared_story, story_public_id
from tests.helpers.stories import configure, story_world


def sent_bodies(fake: Any) -> str:
    return "\n".join(
        f"{r.path} {json.dumps(r.json) if r.json is not None else ''}" for r in fake.requests
    )


async def test_a_shared_story_gets_its_thread_and_buttons(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        assert thread.parent is w.stories
        assert thread.name == "Story #1 · Final round"
        assert thread.auto_archive_duration == 10080
        labels = [c["label"] for row in post["components"] for c in row["components"]]
        assert labels == ["Encourage", "Me too", stories_msg.FOLLOW, stories_msg.REPORT]
        assert story_public_id(post)


async def test_encourage_named_and_anonymous_on_a_shared_story(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    carol = w.guild.add_member("carol", nick="Carol C.")
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)

        named = await encourage_post(
            w, carol, post, "Final round is huge. Proud of you.", anonymous=False
        )
        assert named.ephemeral
        assert thread.messages[-1]["content"] == (
            "💬 **Encouragement from Carol C.**\nFinal round is huge. Proud of you."
        )

        anon = await encourage_post(w, w.bob, post, "<@&1> @here you are not alone", anonymous=True)
        assert anon.ephemeral
        last = thread.messages[-1]
        assert last["content"].startswith("💬 **Encouragement from a member**\n")
        assert last["mention_everyone"] is False and last["mention_roles"] == []
        assert "interaction_metadata" not in last
        # Neither the author nor the anonymous encourager appears in anything the bot sent.
        bodies = sent_bodies(w.fake)
        for secret in (str(w.alice.id), str(w.bob.id), "bob"):
            assert secret not in bodies


async def test_op_reply_by_the_author_and_refused_for_anyone_else(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _post, thread = await shared_story(app, w, w.alice)

        opened = await w.fake.invoke(w.alice, thread, "reply")
        assert opened.modal is not None
        done = await w.fake.submit_modal(
            w.alice, thread, opened, {"Your reply": "Thank you all, this helps more than you know."}
        )
        assert done.ephemeral
        reply = thread.messages[-1]
        assert reply["content"] == (
            "🗨️ **OP (anonymous)**\nThank you all, this helps more than you know."
        )
        assert "interaction_metadata" not in reply and "interaction" not in reply
        assert str(w.alice.id) not in sent_bodies(w.fake)

        refused = await w.fake.invoke(w.bob, thread, "reply")
        assert refused.modal is None and refused.ephemeral
        assert "Only the person who shared this story" in (refused.content or "")

        elsewhere = await w.fake.invoke(w.alice, w.channel, "reply")
        assert elsewhere.ephemeral and "inside a story’s thread" in (elsewhere.content or "")
        assert len(thread.messages) == 1  # the refused attempts posted nothing


async def test_forum_stories_keep_their_tag_and_encouragement_lands_in_the_post(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Onsite", "Final round"])
    w.stories = forum
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        post, thread = await shared_story(app, w, w.alice)
        assert thread.parent is forum and len(forum.threads) == 1
        assert thread.applied_tags == [forum.tag("Final round").id]
        assert thread.auto_archive_duration == 10080

        await encourage_post(w, w.bob, post, "The final round! That says so much.", anonymous=True)
        assert thread.messages[-1]["content"].endswith("The final round! That says so much.")
        assert "a member" in thread.messages[-1]["content"]
        assert thread.applied_tags == [forum.tag("Final round").id]

        await w.fake.click(
            w.bob, w.fake.message(post["id"]), custom_id=f"enc:metoo:{story_public_id(post)}"
        )
        labels = [
            c["label"]
            for row in w.fake.message(post["id"])["components"]
            for c in row["components"]
        ]
        assert "Me too · 1" in labels and stories_msg.REPORT in labels


async def test_me_too_on_a_shared_story_counts_each_member_once(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, _thread = await shared_story(app, w, w.alice)
        me_too = f"enc:metoo:{story_public_id(post)}"

        def label() -> str:
            comps = w.fake.message(post["id"])["components"]
            return next(
                c["label"]
                for row in comps
                for c in row["components"]
                if c.get("custom_id") == me_too
            )

        for member, expected in (
            (w.bob, "Me too · 1"),
            (w.mod, "Me too · 2"),
            (w.bob, "Me too · 1"),
            (w.bob, "Me too · 2"),
        ):
            answer = await w.fake.click(member, w.fake.message(post["id"]), custom_id=me_too)
            assert answer.followups and answer.followups[0]["flags"] & 64
            assert label() == expected
        # Still reportable, and no member id anywhere in what the bot sent.
        assert stories_msg.REPORT in [
            c["label"]
            for row in w.fake.message(post["id"])["components"]
            for c in row["components"]
        ]
        assert str(w.bob.id) not in sent_bodies(w.fake)


async def test_me_too_survives_a_restart(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, _thread = await shared_story(app, w, w.alice)
        me_too = f"enc:metoo:{story_public_id(post)}"
        await w.fake.click(w.bob, w.fake.message(post["id"]), custom_id=me_too)
        await app.restart()
        await w.fake.click(w.mod, w.fake.message(post["id"]), custom_id=me_too)
        comps = w.fake.message(post["id"])["components"]
        assert "Me too · 2" in [c["label"] for row in comps for c in row["components"]]


async def test_deleting_a_story_takes_its_thread_and_kind_words_along(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        await encourage_post(w, w.bob, post, "Hang in there.", anonymous=True)
        await w.fake.click(
            w.bob, w.fake.message(post["id"]), custom_id=f"enc:metoo:{story_public_id(post)}"
        )

        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        await w.fake.click(w.alice, mine.message, label="Delete 1")
        await w.fake.settle()

        assert thread.deleted
        for table in ("encouragement_stories", "encouragements", "encouragement_me_too"):
            assert await app.store.fetchall(f"SELECT * FROM {table}") == [], table
