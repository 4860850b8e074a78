"""Moderation end to end: the approval queue, blocks, reports; moderators never see authors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cogs.stories import messages as msg
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import (
    STORY,
    StoryWorld,
    configure,
    open_share,
    posts,
    share,
    share_and_post,
    story_world,
)


async def queued_story(app: RunningBot, w: StoryWorld, member: Any, **kwargs: Any) -> Any:
    """Share with approval on; returns the queue message once the runner has sent it."""
    answer = await share(w, member, **kwargs)
    assert answer.ephemeral and msg.ACK_FOOTER in answer.content
    await app.advance(seconds=120)
    assert posts(w.stories) == []
    return posts(w.mods)[-1]


def author_data_absent(w: StoryWorld, member: Any, payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert str(member.id) not in text
    assert member.name not in text


async def test_approval_queue_shows_only_the_anon_tag_and_approve_posts(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        queued = await queued_story(app, w, w.alice)
        embed = queued["embeds"][0]
        assert embed["title"].startswith("New story waiting for approval · Anon ")
        assert embed["description"] == STORY
        author_data_absent(w, w.alice, queued)
        labels = [c["label"] for row in queued["components"] for c in row["components"]]
        assert labels == [msg.APPROVE, msg.REJECT, msg.BLOCK]
        await w.fake.click(w.mod, queued, label=msg.APPROVE)
        (post,) = posts(w.stories)
        assert post["embeds"][0]["title"] == "Story #1"
        updated = w.fake.message(int(queued["id"]))
        assert updated["components"] == [] and "Approved" in updated["content"]


async def test_only_moderators_can_use_the_queue(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        queued = await queued_story(app, w, w.alice)
        refused = await w.fake.click(w.bob, queued, label=msg.APPROVE)
        assert refused.ephemeral and refused.content == msg.MODS_ONLY
        assert posts(w.stories) == []


async def test_reject_with_a_private_note_reaches_only_the_author(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        answer = await share(w, w.alice)
        await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)
        row = await app.store.fetchone("SELECT sealed_author FROM stories")
        assert row is not None and row["sealed_author"]
        assert str(w.alice.id) not in row["sealed_author"]
        await app.advance(seconds=120)
        queued = posts(w.mods)[-1]
        opened = await w.fake.click(w.mod, queued, label=msg.REJECT)
        assert opened.modal is not None
        done = await w.fake.submit_modal(
            w.mod, w.mods, opened, {msg.REJECT_FIELD: "Please leave out the team name."}
        )
        assert done.followups and msg.REJECTED_NOTED in done.followups[0]["content"]
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        (dm,) = w.fake.dm_messages(w.alice)
        assert "Please leave out the team name." in dm["content"]
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert "not posted" in mine.content and "Please leave out the team name." in mine.content


async def test_approval_is_announced_by_dm_when_the_author_asked(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        answer = await share(w, w.alice)
        opted = await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)
        assert msg.DM_OPTED_IN in opted.content
        await app.advance(seconds=120)
        await w.fake.click(w.mod, posts(w.mods)[-1], label=msg.APPROVE)
        (dm,) = w.fake.dm_messages(w.alice)
        assert "Story #1" in dm["content"] and str(w.stories.id) in dm["content"]


async def test_block_stops_the_author_and_nobody_else(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True, cooldown=0)
        queued = await queued_story(app, w, w.alice)
        anon = queued["embeds"][0]["title"].rsplit("· ", 1)[-1]
        await w.fake.click(w.mod, queued, label=msg.BLOCK)
        updated = w.fake.message(int(queued["id"]))
        assert anon in updated["content"]
        author_data_absent(w, w.alice, updated)
        refused = await open_share(w, w.alice)
        assert refused.modal is None and refused.content == msg.BLOCKED
        assert (await open_share(w, w.bob)).modal is not None
        await app.advance(minutes=5)
        assert posts(w.stories) == []  # the blocked author's story was not posted
        counts = await w.fake.invoke(w.mod, w.channel, "stories blocked")
        assert counts.content.startswith("1 author is blocked from sharing")
        author_data_absent(w, w.alice, counts.content)
        tag = anon.split()[-1]
        lifted = await w.fake.invoke(w.mod, w.channel, "stories unblock", anon=tag.lower())
        assert lifted.content == msg.UNBLOCKED_REPLY.format(anon=anon)
        assert (await open_share(w, w.alice)).modal is not None


async def test_unblock_button_on_the_queue_message(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True, cooldown=0)
        queued = await queued_story(app, w, w.alice)
        await w.fake.click(w.mod, queued, label=msg.BLOCK)
        await w.fake.click(w.mod, w.fake.message(int(queued["id"])), label=msg.UNBLOCK)
        assert (await open_share(w, w.alice)).modal is not None


async def test_unblock_explains_a_tag_it_does_not_know(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        unknown = await w.fake.invoke(w.mod, w.channel, "stories unblock", anon="7F3K")
        assert unknown.content == msg.UNBLOCK_NOT_FOUND.format(anon="Anon 7F3K")
        bad = await w.fake.invoke(w.mod, w.channel, "stories unblock", anon="@everyone")
        assert bad.ephemeral and "@everyone" not in bad.content
        plain = await w.fake.invoke(w.alice, w.channel, "stories unblock", anon="7F3K")
        assert plain.ephemeral and "Manage Server" in plain.content


async def test_queue_buttons_work_after_a_restart(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True, cooldown=0)
        first = await queued_story(app, w, w.alice)
        second = await queued_story(app, w, w.bob)
        await app.restart()
        await w.fake.click(w.mod, first, label=msg.APPROVE)
        assert len(posts(w.stories)) == 1
        await w.fake.click(w.mod, second, label=msg.BLOCK)
        assert (await open_share(w, w.bob)).content == msg.BLOCKED


async def test_report_reaches_the_moderators_who_can_remove_and_block(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        await share_and_post(app, w, w.alice)
        (post,) = posts(w.stories)
        opened = await w.fake.click(w.bob, post, label=msg.REPORT)
        assert opened.modal is not None
        thanks = await w.fake.submit_modal(
            w.bob, w.stories, opened, {msg.REPORT_FIELD: "This names a real recruiter."}
        )
        assert thanks.ephemeral and thanks.content == msg.REPORT_THANKS
        (report,) = posts(w.mods)
        assert "This names a real recruiter." in json.dumps(report["embeds"])
        assert report["embeds"][0]["title"].startswith("Report · Story #1 · Anon ")
        author_data_absent(w, w.alice, report)
        author_data_absent(w, w.bob, report)  # nor the reporter
        again = await w.fake.click(w.bob, post, label=msg.REPORT)
        repeat = await w.fake.submit_modal(w.bob, w.stories, again, {})
        assert repeat.content == msg.REPORT_ALREADY
        assert len(posts(w.mods)) == 1
        await w.fake.click(w.mod, report, label=msg.BLOCK)
        await w.fake.click(w.mod, report, label=msg.REMOVE)
        assert posts(w.stories) == []
        assert (await open_share(w, w.alice)).content == msg.BLOCKED
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        assert "removed by a moderator" in mine.content


async def test_dismissing_a_report_keeps_the_story(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        await share_and_post(app, w, w.alice)
        opened = await w.fake.click(w.bob, posts(w.stories)[0], label=msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {})
        await w.fake.click(w.mod, posts(w.mods)[0], label=msg.DISMISS)
        assert len(posts(w.stories)) == 1
        assert "Dismissed" in w.fake.message(int(posts(w.mods)[0]["id"]))["content"]


async def test_settings_need_manage_server_and_a_postable_channel(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        refused = await w.fake.invoke(w.alice, w.channel, "stories settings", channel=w.stories)
        assert refused.ephemeral and "Manage Server" in refused.content
        needs = await w.fake.invoke(w.mod, w.channel, "stories settings", approval=True)
        assert needs.content == msg.APPROVAL_NEEDS_MOD_CHANNEL
        import discord

        w.fake.set_bot_permissions(w.mods, deny=discord.Permissions(send_messages=True).value)
        await w.fake.settle()
        cannot = await w.fake.invoke(w.mod, w.channel, "stories settings", mod_channel=w.mods)
        assert "I can’t post in" in cannot.content
        assert await app.store.fetchone("SELECT 1 FROM story_settings") is None
        shown = await w.fake.invoke(w.mod, w.channel, "stories settings")
        assert "Stories channel: not set" in shown.content


async def test_settings_show_and_clear_the_servers_crisis_words(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        shown = await configure(w, crisis_words="lost all hope, @everyone help", links=True)
        assert "Extra crisis words: lost all hope, @\u200beveryone help" in shown.content
        assert "Links in stories: allowed" in shown.content
        cleared = await configure(w, crisis_words="none")
        assert "Extra crisis words: none" in cleared.content


async def test_a_long_crisis_word_list_is_summarised_within_discords_limit(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        phrases = ", ".join(f"phrase number {i:02d} with some words" for i in range(50))
        shown = await configure(w, crisis_words=phrases)
        assert len(shown.content) <= 2000
        assert "phrase number 00" in shown.content and "more" in shown.content
        row = await app.store.fetchone("SELECT crisis_words FROM story_settings")
        assert row is not None and "phrase number 49" in row[0]


@pytest.mark.parametrize("words", ["x" * 61, ", ".join(f"w{i}" for i in range(51))])
async def test_crisis_words_past_what_can_be_kept_are_refused_kindly(
    world: Any, tmp_path: Path, words: str
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, crisis_words="lost all hope")
        refused = await w.fake.invoke(w.mod, w.channel, "stories settings", crisis_words=words)
        assert refused.ephemeral and "Nothing was changed" in refused.content
        row = await app.store.fetchone("SELECT crisis_words FROM story_settings")
        assert row is not None and "lost all hope" in row[0] and "w50" not in row[0]
