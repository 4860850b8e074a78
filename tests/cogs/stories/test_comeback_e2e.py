"""The comeback (issue #21, part 3): a story's author adds an update in its thread, as OP.

End to end over the emulator: the author posts an update (a text channel with its card, and a
forum), strangers and forged buttons are refused, approval, a moderator's removal, a follower's
one DM, the roundup's count and /privacy delete.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.encouragement import shared_story
from tests.helpers.privacy import export_of
from tests.helpers.stories import StoryWorld, configure, share, story_world

UPDATE = "Three weeks later I got an offer from a team that really wanted me. Thank you all."


def updates_in(thread: Any) -> list[dict[str, Any]]:
    return [
        m
        for m in thread.messages
        if any("Update from OP" in (e.get("title") or "") for e in m.get("embeds") or [])
    ]


def cards_in(channel: Any) -> list[dict[str, Any]]:
    return [m for m in channel.messages if "has an update" in (m.get("content") or "")]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [
        str(c.get("custom_id"))
        for row in message.get("components") or []
        for c in row.get("components") or []
    ]


def story_id_of(post: dict[str, Any]) -> str:
    for cid in custom_ids(post):
        if cid.startswith("story:cb-follow:"):
            return cid.removeprefix("story:cb-follow:")
    raise AssertionError("the post has no Follow button")


async def comeback(
    w: StoryWorld,
    member: Any,
    thread: Any,
    text: str = UPDATE,
    kind: str = "offer",
    card: str = "yes",
) -> Any:
    """/comeback in the thread and submit the form; the answer to the submission."""
    opened = await w.fake.invoke(member, thread, "comeback")
    assert opened.modal is not None, opened.content
    values = {msg.CB_FIELD_TEXT: text, msg.CB_FIELD_KIND: [kind], msg.CB_FIELD_CARD: [card]}
    return await w.fake.submit_modal(member, thread, opened, values)


async def posted_update(app: RunningBot, w: StoryWorld, thread: Any, **kwargs: Any) -> Any:
    answer = await comeback(w, w.alice, thread, **kwargs)
    assert answer.ephemeral and msg.CB_ACK_FOOTER in (answer.content or ""), answer.content
    await app.advance(seconds=120)
    return answer


def forge(w: StoryWorld, message: dict[str, Any], custom_id: str) -> None:
    """A modified client: a button the bot never sent, on a message the member can see."""
    live = w.fake.message(message["id"])
    assert live is not None
    button = {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}
    rows = [r for r in live.get("components") or [] if not _forged(r)]
    live["components"] = [*rows, {"type": 1, "components": [button]}]


def _forged(row: dict[str, Any]) -> bool:
    return any(c.get("label") == "forged" for c in row.get("components") or [])


async def test_the_author_posts_an_update_in_the_thread_and_a_card(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        answer = await posted_update(app, w, thread, text=UPDATE + " @everyone <@1234>")
        assert msg.CB_ACK_CARD in answer.content
        (update,) = updates_in(thread)
        (embed,) = update["embeds"]
        assert embed["title"] == "🌱 Update from OP · I got an offer"
        assert UPDATE in embed["description"]
        assert update["mention_everyone"] is False and update["mentions"] == []
        assert "interaction_metadata" not in update or not update["interaction_metadata"]
        (card,) = cards_in(w.stories)
        assert "Story #1 has an update:** they got an offer" in card["content"]
        assert f"/{w.guild.id}/{thread.id}" in card["content"]
        for message in (update, card):
            assert str(w.alice.id) not in str(message) and "alice" not in str(message)
        row = await app.store.fetchone("SELECT status, author FROM story_updates")
        assert row is not None and row["status"] == "posted"
        assert str(w.alice.id) not in row["author"]


async def test_no_card_when_the_author_says_no(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        await posted_update(app, w, thread, kind="doing_better", card="no")
        (update,) = updates_in(thread)
        assert update["embeds"][0]["title"].endswith("I'm just doing better")
        assert cards_in(w.stories) == []


async def test_in_a_forum_the_update_is_a_message_in_the_storys_post(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Final round"])
    w.stories = forum
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        _, post = await shared_story(app, w, w.alice)
        await posted_update(app, w, post)
        (update,) = updates_in(post)
        assert update["channel_id"] == str(post.id)
        assert len(forum.threads) == 1  # no other post, no card


async def test_only_the_author_can_add_an_update(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        refused = await w.fake.invoke(w.bob, thread, "comeback")
        assert refused.ephemeral and refused.modal is None
        assert refused.content == msg.CB_NOT_AUTHOR
        elsewhere = await w.fake.invoke(w.alice, w.channel, "comeback")
        assert elsewhere.ephemeral and elsewhere.content == msg.CB_OUTSIDE_THREAD
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None


async def test_forged_buttons_are_refused(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        sid = story_id_of(post)
        forge(w, post, f"story:cb-new:{sid}")
        forged = await w.fake.click(w.bob, post, custom_id=f"story:cb-new:{sid}")
        assert forged.ephemeral and forged.modal is None and forged.content == msg.CB_NOT_AUTHOR
        forge(w, post, f"story:cb-list:{sid}")
        listed = await w.fake.click(w.bob, post, custom_id=f"story:cb-list:{sid}")
        assert listed.content == msg.CB_NOT_AUTHOR and not listed.components

        await posted_update(app, w, thread)
        row = await app.store.fetchone("SELECT public_id FROM story_updates")
        assert row is not None
        uid = row["public_id"]
        for action in ("edit", "delete", "post"):
            forge(w, post, f"story:cb-{action}:{uid}")
            tried = await w.fake.click(w.bob, post, custom_id=f"story:cb-{action}:{uid}")
            assert tried.content == msg.CB_NOT_AUTHOR and tried.modal is None, action
        # Approving needs a moderator, whatever the button says.
        forge(w, post, f"story:cb-remove:{uid}")
        removed = await w.fake.click(w.bob, post, custom_id=f"story:cb-remove:{uid}")
        assert removed.content == msg.MODS_ONLY
        assert len(updates_in(thread)) == 1
        row = await app.store.fetchone("SELECT status FROM story_updates")
        assert row is not None and row["status"] == "posted"


async def test_the_author_edits_and_deletes_from_mystories(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        await posted_update(app, w, thread)
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        panel = await w.fake.click(w.alice, mine.message, label="Update 1")
        assert panel.ephemeral and "I got an offer · posted" in panel.content
        opened = await w.fake.click(w.alice, panel.message, label="Edit 1")
        assert opened.modal is not None
        values = {
            msg.CB_FIELD_TEXT: "Second round next week, fingers crossed.",
            msg.CB_FIELD_KIND: ["second_interview"],
        }
        edited = await w.fake.submit_modal(w.alice, w.channel, opened, values)
        assert msg.CB_ACK_FOOTER in edited.content
        await app.advance(seconds=120)
        (update,) = updates_in(thread)
        assert "Second round next week" in update["embeds"][0]["description"]
        (card,) = cards_in(w.stories)
        assert "second interview" in card["content"]

        deleted = await w.fake.click(w.alice, panel.message, label="Delete 1")
        assert deleted.content == msg.CB_DELETED
        assert updates_in(thread) == [] and cards_in(w.stories) == []
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None


async def test_identifying_details_are_pointed_out_before_posting(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        nudged = await comeback(w, w.alice, thread, text="Offer came! Mail me at me@example.com")
        assert nudged.ephemeral and "email address" in nudged.content
        await app.advance(seconds=120)
        assert updates_in(thread) == []
        posted = await w.fake.click(w.alice, nudged.message, label=msg.POST_ANYWAY)
        assert msg.CB_ACK_FOOTER in posted.content
        await app.advance(seconds=120)
        assert len(updates_in(thread)) == 1


async def test_blank_or_too_short_text_changes_nothing(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        short = await comeback(w, w.alice, thread, text="ok")
        assert short.ephemeral and "a few words of your own" in short.content
        blank = await comeback(w, w.alice, thread, text="\u200b\u200b")
        assert blank.ephemeral and blank.content == msg.CB_EMPTY
        await app.advance(seconds=120)
        assert updates_in(thread) == []
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None


async def test_crisis_words_bring_the_resources_privately(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, crisis_words="falling apart")
        _, thread = await shared_story(app, w, w.alice)
        answer = await comeback(w, w.alice, thread, text="Honestly still falling apart some days.")
        assert answer.followups and answer.followups[0]["flags"] & 64
        row = await app.store.fetchone("SELECT crisis FROM story_updates")
        assert row is not None and row["crisis"] == 1


async def test_with_approval_an_update_waits_for_a_moderator(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        # The story itself goes through the queue first.
        await share(w, w.alice)
        await app.advance(seconds=120)
        queued = w.mods.messages[-1]
        await w.fake.click(w.mod, queued, label=msg.APPROVE)
        await app.advance(seconds=5)
        (post,) = [m for m in w.stories.messages if m.get("embeds")]
        thread = w.guild.get_channel(int(post["id"]))
        await app.advance(seconds=5)

        held = await comeback(w, w.alice, thread)
        assert held.content.startswith(msg.CB_ACK_REVIEW)
        await app.advance(seconds=120)
        assert updates_in(thread) == []
        in_queue = w.mods.messages[-1]
        assert "An update on Story #1 to approve" in in_queue["embeds"][0]["title"]
        refused = await w.fake.click(w.alice, in_queue, label=msg.APPROVE)
        assert refused.content == msg.MODS_ONLY
        approved = await w.fake.click(w.mod, in_queue, label=msg.APPROVE)
        assert approved.content.startswith("✅ Approved by")
        await app.advance(seconds=5)
        assert len(updates_in(thread)) == 1


async def test_a_moderator_removes_a_reported_update(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        _, thread = await shared_story(app, w, w.alice)
        await posted_update(app, w, thread)
        (update,) = updates_in(thread)
        opened = await w.fake.click(w.bob, update, label=msg.REPORT)
        assert opened.modal is not None
        thanks = await w.fake.submit_modal(w.bob, thread, opened, {msg.REPORT_FIELD: "not ok"})
        assert thanks.content == msg.REPORT_THANKS
        report = w.mods.messages[-1]
        assert "A report about an update on Story #1" in report["embeds"][0]["title"]
        removed = await w.fake.click(w.mod, report, label=msg.REMOVE)
        assert removed.content.startswith("🗑️ Update removed by")
        assert updates_in(thread) == [] and cards_in(w.stories) == []
        row = await app.store.fetchone("SELECT status FROM story_updates")
        assert row is not None and row["status"] == "removed"
        # The author cannot bring it back by editing it.
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        panel = await w.fake.click(w.alice, mine.message, label="Update 1")
        assert "removed by a moderator" in panel.content
        refused = await w.fake.click(w.alice, panel.message, label="Edit 1")
        assert refused.modal is None and refused.content == msg.CB_REMOVED_NO_EDIT
        await app.advance(seconds=120)
        assert updates_in(thread) == []


async def test_a_follower_gets_one_dm_per_update(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        followed = await w.fake.click(w.bob, post, label=msg.FOLLOW)
        assert followed.ephemeral and "You’re following Story #1" in followed.content
        own = await w.fake.click(w.alice, post, label=msg.FOLLOW)
        assert own.content == msg.FOLLOW_OWN
        row = await app.store.fetchone("SELECT follower, sealed FROM story_followers")
        assert row is not None and str(w.bob.id) not in row["follower"] + row["sealed"]

        await posted_update(app, w, thread)
        await app.restart()
        await app.advance(hours=2)
        dms = [m for m in w.fake.dm_messages(w.bob) if "has an update" in m["content"]]
        assert len(dms) == 1
        assert "Story #1" in dms[0]["content"] and "they got an offer" in dms[0]["content"]
        assert UPDATE not in dms[0]["content"]
        assert [m for m in w.fake.dm_messages(w.alice) if "has an update" in m["content"]] == []
        # The encouragers are told in the thread, by the update's one mention-free post.
        (update,) = updates_in(thread)
        assert update["mentions"] == [] and "encouraged" in update["embeds"][0]["footer"]["text"]

        stopped = await w.fake.click(w.bob, post, label=msg.FOLLOW)
        assert stopped.content.startswith("You no longer follow Story #1")
        assert await app.store.fetchone("SELECT 1 FROM story_followers") is None


async def test_the_roundup_counts_comebacks(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(
        w.fake, data_dir=tmp_path, now=datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    ) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        await posted_update(app, w, thread)
        await posted_update(app, w, thread, kind="doing_better")  # the same member: counted once
        await app.advance_to(datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
        (roundup,) = [m for m in w.stories.messages if "not alone" in (m.get("content") or "")]
        assert "1 member shared a comeback this week" in roundup["content"]
        assert UPDATE[:20] not in roundup["content"]


async def test_privacy_delete_takes_updates_and_follows_away(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        await w.fake.click(w.bob, post, label=msg.FOLLOW)
        await posted_update(app, w, thread)
        exported = export_of(await w.fake.invoke(w.bob, w.channel, "privacy export"))
        (follow,) = exported["data"]["stories"]["story_followers"]
        assert follow["story_number"] == 1 and "sealed" not in follow
        mine = export_of(await w.fake.invoke(w.alice, w.channel, "privacy export"))
        (update,) = mine["data"]["stories"]["story_updates"]
        assert update["body"] == UPDATE and update["kind"] == "offer" and update["card"] is True

        prompt = await w.fake.invoke(w.bob, w.channel, "privacy delete")
        await w.fake.click(w.bob, prompt.message, label="Delete everything")
        assert await app.store.fetchone("SELECT 1 FROM story_followers") is None

        prompt = await w.fake.invoke(w.alice, w.channel, "privacy delete")
        await w.fake.click(w.alice, prompt.message, label="Delete everything")
        assert await app.store.fetchone("SELECT 1 FROM story_updates") is None
        assert cards_in(w.stories) == []


async def test_deleting_the_story_takes_its_updates_and_card(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        await w.fake.click(w.bob, post, label=msg.FOLLOW)
        await posted_update(app, w, thread)
        assert len(cards_in(w.stories)) == 1
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        await w.fake.click(w.alice, mine.message, label="Delete 1")
        await app.advance(minutes=5)
        assert cards_in(w.stories) == []
        for table in ("story_updates", "story_followers"):
            assert await app.store.fetchone(f"SELECT 1 FROM {table}") is None, table


async def test_an_update_weeks_later_reopens_the_archived_thread(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _, thread = await shared_story(app, w, w.alice)
        await app.advance(days=30)
        w.fake.archive_thread(thread)
        await posted_update(app, w, thread)
        assert len(updates_in(thread)) == 1 and not thread.archived
