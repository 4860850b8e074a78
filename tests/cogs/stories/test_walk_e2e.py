"""What members and moderators met in their first weeks: each test walks one of them through the
real bot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import discord
import pytest

from cogs.stories import messages as msg
from cogs.stories.logic import STORY_MIN_LETTERS
from tests.harness import RunningBot, running_bot
from tests.helpers.stories import (
    STORY,
    configure,
    open_share,
    posts,
    share,
    share_and_post,
    story_world,
)


def _labels(message: dict[str, Any]) -> list[str]:
    return [c["label"] for row in message["components"] for c in row["components"]]


async def _rows(app: RunningBot) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await app.store.fetchall("SELECT status, body FROM stories")]


# -- C9: a story needs some words of its own ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["[link removed]", "@someone", "a", "<@123456789012345678> https://example.com/x"]
)
async def test_a_story_with_nothing_of_its_own_is_kept_to_edit_not_posted(
    world: Any, tmp_path: Path, text: str
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        answer = await share(w, w.alice, text=text)
        await app.advance(minutes=5)
        assert posts(w.stories) == []
        assert await _rows(app) == [("draft", text)]  # the member keeps their text
        assert answer.ephemeral
        assert answer.content == msg.TOO_SHORT.format(letters=STORY_MIN_LETTERS)
        assert _labels(answer.message) == [msg.EDIT]  # no "post anyway" for an empty story
        edit = await w.fake.click(w.alice, answer.message, label=msg.EDIT)
        assert edit.modal is not None and text in json.dumps(edit.modal, ensure_ascii=False)
        fixed = await w.fake.submit_modal(w.alice, w.channel, edit, {msg.FIELD_STORY: STORY})
        assert msg.ACK_FOOTER in (fixed.content or ""), fixed.content
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1


# -- C6: when a story appears, said truthfully --------------------------------------------------


@pytest.mark.parametrize(
    ("max_delay", "when"),
    [(0, "in a moment"), (60, "within a minute"), (120, "within 2 minutes"),
     (900, "within 15 minutes")],
)  # fmt: skip
async def test_the_thank_you_says_when_for_this_servers_delay(
    world: Any, tmp_path: Path, max_delay: int, when: str
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        await configure(w, max_delay=max_delay)
        answer = await share(w, w.alice)
        assert f"will appear in <#{w.stories.id}> {when} as" in (answer.content or "")
        assert "couple of minutes" not in (answer.content or "")


# -- C7: a stories channel that no longer exists --------------------------------------------------


async def test_share_into_a_deleted_channel_is_refused_kindly_and_admins_hear_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        opened_before = await open_share(w, w.bob)
        w.fake.delete_channel(w.stories)
        await w.fake.settle()
        refused = await open_share(w, w.alice)
        assert refused.modal is None and refused.ephemeral
        assert refused.content == msg.NOT_AVAILABLE_NOW
        late = await w.fake.submit_modal(
            w.bob, w.channel, opened_before, {msg.FIELD_STORY: STORY, msg.FIELD_STAGE: ["onsite"]}
        )
        assert late.content == msg.NOT_AVAILABLE_NOW
        assert (await open_share(w, w.alice)).content == msg.NOT_AVAILABLE_NOW
        assert await _rows(app) == []  # nothing accepted, no number used
        notices = w.fake.dm_messages(w.guild.owner)
        assert len(notices) == 1  # told once, not at every /share
        assert "can’t use the stories channel" in notices[0]["content"]
        assert notices[0]["_allowed_mentions"]["parse"] == []
        # an admin picks a channel again: sharing works
        fresh = w.guild.create_text_channel("stories-again")
        await w.fake.settle()
        await configure(w, channel=fresh)
        assert (await open_share(w, w.alice)).modal is not None


async def test_with_approval_a_deleted_moderators_channel_stops_sharing_kindly(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        w.fake.delete_channel(w.mods)
        await w.fake.settle()
        refused = await open_share(w, w.alice)
        assert refused.modal is None and refused.content == msg.NOT_AVAILABLE_NOW
        assert await _rows(app) == []
        assert len(w.fake.dm_messages(w.guild.owner)) == 1


# -- C2, part D and E: /stories settings -----------------------------------------------------------


async def test_settings_show_real_channels_plain_words_and_the_timing_hint(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path):
        shown = await configure(w, mod_channel=w.mods, max_delay=0, cooldown=0, daily_limit=1)
        text = shown.content or ""
        assert f"Stories channel: <#{w.stories.id}>" in text
        assert f"Moderator channel: <#{w.mods.id}>" in text
        assert "#some-channel" not in text
        assert "Random posting delay: none" in text and "0–0" not in text
        assert "no wait between stories, at most 1 a day" in text
        assert "every 0 minutes" not in text
        assert msg.NO_DELAY_HINT in text  # max_delay 0 gives up the timing protection
        assert msg.ANON_TAG_NOTE in text  # moderators can link one author's stories
        later = await configure(w, max_delay=1, cooldown=1)
        assert "up to 1 second" in (later.content or "")
        assert "one story every 1 minute," in (later.content or "")
        assert msg.NO_DELAY_HINT not in (later.content or "")
        words = await configure(w, crisis_words=f"<@{w.bob.id}> lost all hope")
        assert f"<@{w.bob.id}>" not in (words.content or "")  # what an admin typed stays inert


# -- B4: the reject reply says the same whether or not the author asked for DMs ------------------


async def test_the_reject_reply_does_not_tell_whether_the_author_asked_for_dms(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True, cooldown=0)
        with_dms = await share(w, w.alice)
        await w.fake.click(w.alice, with_dms.message, label=msg.DM_OPT_IN)
        await share(w, w.bob)
        await app.advance(seconds=120)
        replies = []
        for queued in posts(w.mods)[-2:]:
            opened = await w.fake.click(w.mod, queued, label=msg.REJECT)
            done = await w.fake.submit_modal(
                w.mod, w.mods, opened, {msg.REJECT_FIELD: "Please leave out the team name."}
            )
            replies.append(done.followups[0]["content"])
        assert len(w.fake.dm_messages(w.alice)) == 1  # the one who asked heard by DM
        assert replies[0] == replies[1]


# -- B5: moderator buttons check Manage Messages where the stories are -----------------------------


async def test_manage_messages_in_the_moderators_channel_alone_is_not_enough(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    manage = discord.Permissions(manage_messages=True).value
    helper = w.guild.add_member("helper")
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        w.fake.set_permissions(w.mods, helper, allow=manage)
        await w.fake.settle()
        await share(w, w.alice)
        await app.advance(seconds=120)
        queued = posts(w.mods)[-1]
        refused = await w.fake.click(helper, queued, label=msg.APPROVE)
        assert refused.ephemeral and refused.content == msg.MODS_ONLY
        assert posts(w.stories) == []
        # with Manage Messages where the stories go too, the same button works
        w.fake.set_permissions(w.stories, helper, allow=manage)
        await w.fake.settle()
        await w.fake.click(helper, queued, label=msg.APPROVE)
        assert len(posts(w.stories)) == 1


# -- part D: Block from a report tells every moderator -------------------------------------------


async def test_block_from_a_report_updates_the_report_for_every_moderator(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods)
        await share_and_post(app, w, w.alice)
        opened = await w.fake.click(w.bob, posts(w.stories)[0], label=msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {})
        (report,) = posts(w.mods)
        blocked = await w.fake.click(w.mod, report, label=msg.BLOCK)
        updated = w.fake.message(int(report["id"]))
        assert updated["content"].startswith("⛔ Handled by ")
        assert "author blocked" in updated["content"]
        assert _labels(updated) == [msg.REMOVE, msg.UNBLOCK]  # no second Block, no Dismiss
        assert blocked.followups and "/stories unblock" in blocked.followups[0]["content"]
        assert str(w.alice.id) not in json.dumps(updated)
        await w.fake.click(w.mod, updated, label=msg.REMOVE)
        assert posts(w.stories) == []


# -- part D: words --------------------------------------------------------------------------------


async def test_deleting_an_unposted_story_and_a_removal_dm_read_naturally(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, max_delay=600, cooldown=0)
        await share(w, w.alice)
        mine = await w.fake.invoke(w.alice, w.channel, "mystories")
        deleted = await w.fake.click(w.alice, mine.message, label="Delete 1")
        assert (deleted.content or "").startswith("Deleted your story:")
        answer = await share(w, w.alice)
        await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)
        await app.advance(minutes=11)
        opened = await w.fake.click(w.bob, posts(w.stories)[0], label=msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {})
        await w.fake.click(w.mod, posts(w.mods)[0], label=msg.REMOVE)
        (dm,) = w.fake.dm_messages(w.alice)
        assert dm["content"] == (
            f"A moderator removed your story in **{w.guild.name}** (Story #1)."
        )


def test_no_stories_sentence_guesses_at_a_plural() -> None:
    public = [v for k, v in vars(msg).items() if not k.startswith("_")]
    sentences = [v for v in public if isinstance(v, str)]
    sentences += [v for d in public if isinstance(d, dict) for v in d.values()]
    for sentence in sentences:
        assert "(s)" not in sentence and "(ies)" not in sentence, sentence


async def test_direction_overrides_and_masked_links_never_reach_the_post(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        text = (
            "My portfolio \u202egnp.exe\u202c was fine, see [my notes](https://example.com/n) "
            "and <https://example.org>. " + STORY
        )
        await share_and_post(app, w, w.alice, text=text, takeaway="\u2067Keep going\u2069")
        (post,) = posts(w.stories)
        shown = json.dumps(post["embeds"], ensure_ascii=False)
        for control in ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067"):
            assert control not in shown
        description = post["embeds"][0]["description"]
        assert "see my notes [link removed] and [link removed]." in description
        assert "]([" not in description and "<[" not in description
