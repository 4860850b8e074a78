"""/privacy delete takes the member's stories down from Discord with everything hanging off them,
and their signed kind words and OP replies, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cogs.privacy import messages as privacy_msg
from cogs.stories import messages as stories_msg
from tests.harness import RunningBot, running_bot
from tests.helpers.encouragement import encourage_post, shared_story, story_public_id
from tests.helpers.stories import configure, posts, story_world


async def rows_about(app: RunningBot, story_id: int, public_id: str) -> dict[str, int]:
    """Rows anywhere that hang off one story: by its id, its public id or its job keys."""
    checks = {
        "stories": ("SELECT COUNT(*) FROM stories WHERE id = ?", (story_id,)),
        "story_reports": ("SELECT COUNT(*) FROM story_reports WHERE story_id = ?", (story_id,)),
        "encouragement_stories": (
            "SELECT COUNT(*) FROM encouragement_stories WHERE story_id = ?",
            (story_id,),
        ),
        "encouragements": ("SELECT COUNT(*) FROM encouragements WHERE story_id = ?", (story_id,)),
        "encouragement_me_too": (
            "SELECT COUNT(*) FROM encouragement_me_too WHERE story_id = ?",
            (story_id,),
        ),
        "encouragement_sends": (
            "SELECT COUNT(*) FROM encouragement_sends WHERE story_id = ?",
            (story_id,),
        ),
        "scheduled_jobs": (
            "SELECT COUNT(*) FROM scheduled_jobs WHERE key IN (?, ?)",
            (public_id, str(story_id)),
        ),
        "job_runs": (
            "SELECT COUNT(*) FROM job_runs WHERE key IN (?, ?) AND kind NOT LIKE 'affirm%'",
            (public_id, str(story_id)),
        ),
    }
    found = {}
    for table, (sql, params) in checks.items():
        row = await app.store.fetchone(sql, params)
        if row and row[0]:
            found[table] = int(row[0])
    return found


async def test_privacy_delete_takes_the_members_stories_down_with_everything_on_them(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    carol = w.guild.add_member("carol")
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        post, thread = await shared_story(app, w, w.alice, dm=True)
        public_id = story_public_id(post)
        row = await app.store.fetchone("SELECT id FROM stories WHERE public_id = ?", (public_id,))
        assert row is not None
        story_id = int(row[0])
        # Others gather around Alice's story: a report, kind words, a me-too; Alice answers.
        opened = await w.fake.click(w.bob, w.fake.message(post["id"]), label=stories_msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {stories_msg.REPORT_FIELD: "hm"})
        (report,) = posts(w.mods)
        await encourage_post(w, w.bob, post, "You are not alone.", anonymous=True)
        await w.fake.click(carol, w.fake.message(post["id"]), label="Me too")
        reply = await w.fake.invoke(w.alice, thread, "reply")
        await w.fake.submit_modal(w.alice, thread, reply, {"Your reply": "Thank you all."})
        await app.advance(minutes=15)  # her digest goes out: run history about the story
        # Bob's story, where Alice signs kind words with her name and once anonymously.
        bob_post, bob_thread = await shared_story(app, w, w.bob)
        await encourage_post(w, w.alice, bob_post, "Rooting for you, Bob.", anonymous=False)
        await encourage_post(w, w.alice, bob_post, "Quietly rooting too.", anonymous=True)
        assert len(bob_thread.messages) == 2
        assert await rows_about(app, story_id, public_id)

        prompt = await w.fake.invoke(w.alice, w.channel, "privacy delete")
        # Said before it happens.
        assert "come down from the server too" in prompt.content
        assert "signed with your name" in prompt.content
        assert w.fake.message(post["id"]) is not None  # nothing gone before confirming

        done = await w.fake.click(w.alice, prompt.message, label=privacy_msg.CONFIRM)
        await w.fake.settle()
        assert "I deleted everything" in (done.content or "")
        assert "1 story" in (done.content or "")

        # Gone from Discord: her post, its thread, the moderators' report.
        assert w.fake.message(post["id"]) is None
        assert w.guild.get_channel(thread.id) is None or thread.deleted
        assert w.fake.message(report["id"]) is None
        # Her signed words on Bob's story are gone; her anonymous ones and Bob's story stay.
        contents = [m["content"] for m in bob_thread.messages]
        assert not any("Rooting for you, Bob." in c for c in contents)
        assert any("Quietly rooting too." in c for c in contents)
        assert w.fake.message(bob_post["id"]) is not None
        # Nothing left in the database that hangs off her story.
        assert await rows_about(app, story_id, public_id) == {}
        # /mystories has nothing, and nothing of her story can be acted on any more.
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert public_id not in str(mine.components)


async def test_a_passing_discord_error_deletes_nothing_and_a_second_try_finishes(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, _thread = await shared_story(app, w, w.alice)
        prompt = await w.fake.invoke(w.alice, w.channel, "privacy delete")
        w.fake.fail_next("DELETE", "/channels/{channel_id}/messages/{message_id}", 503)
        failed = await w.fake.click(w.alice, prompt.message, label=privacy_msg.CONFIRM)
        assert failed.content == privacy_msg.SOMETHING_WENT_WRONG
        # Her story is still hers to delete: nothing was lost half-way.
        assert await app.store.fetchone("SELECT 1 FROM stories") is not None

        again = await w.fake.invoke(w.alice, w.channel, "privacy delete")
        done = await w.fake.click(w.alice, again.message, label=privacy_msg.CONFIRM)
        assert "I deleted everything" in (done.content or "")
        assert w.fake.message(post["id"]) is None
        assert await app.store.fetchone("SELECT 1 FROM stories") is None
